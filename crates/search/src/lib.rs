//! The catalog index (DESIGN decision 3).
