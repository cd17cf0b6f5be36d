//! The index's fields and how a catalog document becomes a Tantivy document.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::CatalogDoc;
use crate::tokenize::{BIGRAMS, PINYIN, WORDS};

/// Bumped whenever the fields or the way text is cut change: an index written with another
/// version is wiped and rebuilt by the caller.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// A searchable text of a dataset: its jieba field, its weight, and its name in snippets.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TextField {
    pub words: Field,
    pub weight: f32,
    pub snippet: &'static str,
}

/// A character-pair field and its weight.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PairField {
    pub field: Field,
    pub weight: f32,
}

/// The facet fields in the order of [`crate::Facets`].
pub(crate) const FACET_FIELDS: [&str; 6] = [
    "organization_id",
    "theme",
    "access_level",
    "format",
    "update_frequency",
    "district",
];

#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub id: Field,
    pub title: TextField,
    pub title_pinyin: Field,
    /// Pairs of the title, and of every other text together: a phrase query per field
    /// costs position reads, and these matches only rescue what jieba cut otherwise, so the
    /// other texts share one field. Their values stay apart by a position, like runs.
    pub title_pairs: PairField,
    pub text_pairs: PairField,
    pub keywords: TextField,
    pub organization: TextField,
    pub fields: TextField,
    pub description: TextField,
    pub organization_id: Field,
    pub theme: Field,
    pub access_level: Field,
    pub format: Field,
    pub update_frequency: Field,
    pub district: Field,
    pub updated: Field,
    pub downloads: Field,
    pub calls: Field,
    pub popularity: Field,
}

pub(crate) const UPDATED: &str = "updated";
pub(crate) const DOWNLOADS: &str = "downloads";
pub(crate) const CALLS: &str = "calls";
pub(crate) const POPULARITY: &str = "popularity";
pub(crate) const ID: &str = "id";
pub(crate) const TITLE: &str = "title";

impl Fields {
    /// The searchable texts, best first: the order in which snippets are looked for too.
    pub fn texts(&self) -> [TextField; 5] {
        [
            self.title,
            self.description,
            self.keywords,
            self.organization,
            self.fields,
        ]
    }
}

fn text_options(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Positions only where phrases are asked for: pairs of characters. Word fields are
    // matched term by term.
    let words = || text_options(WORDS, IndexRecordOption::WithFreqs);
    let bigrams = || text_options(BIGRAMS, IndexRecordOption::WithFreqsAndPositions);
    let id = builder.add_text_field(ID, STRING | STORED | FAST);
    let mut text = |name: &str, weight: f32, snippet: &'static str, stored: bool| {
        let options = if stored { words() | STORED } else { words() };
        // Titles are a fast column too, so suggestions read them without the document store.
        let options = if name == TITLE {
            options.set_fast("raw")
        } else {
            options
        };
        TextField {
            words: builder.add_text_field(name, options),
            weight,
            snippet,
        }
    };
    let title = text(TITLE, 4.0, "title", true);
    let keywords = text("keywords", 2.5, "keywords", true);
    let organization = text("organization", 2.0, "organization", true);
    let fields_text = text("fields", 1.2, "fields", true);
    let description = text("description", 1.0, "description", true);
    let title_pinyin = builder.add_text_field(
        "title_pinyin",
        text_options(PINYIN, IndexRecordOption::WithFreqs),
    );
    let title_pairs = PairField {
        field: builder.add_text_field("title_pairs", bigrams()),
        weight: title.weight,
    };
    let text_pairs = PairField {
        field: builder.add_text_field("text_pairs", bigrams()),
        weight: description.weight,
    };
    let [
        organization_id,
        theme,
        access_level,
        format,
        update_frequency,
        district,
    ] = FACET_FIELDS.map(|name| builder.add_text_field(name, STRING | FAST));
    let updated = builder.add_i64_field(UPDATED, FAST);
    let [downloads, calls, popularity] =
        [DOWNLOADS, CALLS, POPULARITY].map(|name| builder.add_u64_field(name, FAST));
    let fields = Fields {
        id,
        title,
        title_pinyin,
        title_pairs,
        text_pairs,
        keywords,
        organization,
        fields: fields_text,
        description,
        organization_id,
        theme,
        access_level,
        format,
        update_frequency,
        district,
        updated,
        downloads,
        calls,
        popularity,
    };
    (builder.build(), fields)
}

pub(crate) fn document(fields: &Fields, doc: &CatalogDoc) -> TantivyDocument {
    let mut out = TantivyDocument::new();
    out.add_text(fields.id, &doc.id);
    let title_pairs = fields.title_pairs.field;
    let mut text = |field: TextField, value: &str| {
        if !value.trim().is_empty() {
            out.add_text(field.words, value);
            let pairs = if field.words == fields.title.words {
                title_pairs
            } else {
                fields.text_pairs.field
            };
            out.add_text(pairs, value);
        }
    };
    text(fields.title, &doc.title);
    text(fields.description, &doc.description);
    text(fields.organization, &doc.organization_name);
    for keyword in &doc.keywords {
        text(fields.keywords, keyword);
    }
    for field in &doc.fields {
        text(fields.fields, field);
    }
    if !doc.title.trim().is_empty() {
        out.add_text(fields.title_pinyin, &doc.title);
    }
    let mut exact = |field: Field, value: &str| {
        // An empty value is no value: it would show as an empty facet.
        if !value.is_empty() {
            out.add_text(field, value);
        }
    };
    exact(fields.organization_id, &doc.organization_id);
    exact(fields.theme, &doc.theme);
    exact(fields.access_level, &doc.access_level);
    exact(fields.update_frequency, &doc.update_frequency);
    if let Some(district) = &doc.district {
        exact(fields.district, district);
    }
    let mut formats: Vec<&String> = doc.formats.iter().collect();
    formats.sort();
    formats.dedup();
    for format in formats {
        exact(fields.format, format);
    }
    out.add_i64(fields.updated, doc.last_updated.timestamp_micros());
    out.add_u64(fields.downloads, doc.downloads);
    out.add_u64(fields.calls, doc.calls);
    out.add_u64(fields.popularity, doc.downloads.saturating_add(doc.calls));
    out
}
