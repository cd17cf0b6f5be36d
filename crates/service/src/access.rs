//! Who is asking, and what that lets them see. Accounts and roles come with a later issue;
//! until then every caller of the public API is anonymous and the CLI acts as staff.

use kaifang_domain::{AccessLevel, Dataset};

use crate::ServiceError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Anonymous,
    Staff,
}

impl Viewer {
    /// Closed datasets exist only for staff: to others they are not found at all.
    pub fn can_see(self, dataset: &Dataset) -> bool {
        self == Self::Staff || dataset.access_level != AccessLevel::Closed
    }

    /// Conditional rows need an approved application, which anonymous callers cannot hold.
    pub fn check_rows(self, dataset: &Dataset) -> Result<(), ServiceError> {
        match (self, dataset.access_level) {
            (Self::Staff, _) | (_, AccessLevel::Unconditional) => Ok(()),
            (_, AccessLevel::Conditional) => Err(ServiceError::Forbidden(
                "有条件开放数据需申请通过后方可访问 (conditional data needs an approved application)"
                    .to_owned(),
            )),
            (_, AccessLevel::Closed) => Err(ServiceError::NotFound {
                entity: "dataset",
                id: dataset.id.clone(),
            }),
        }
    }
}
