//! A resource's table schema, in Frictionless Table Schema names and types.

use serde::{Deserialize, Serialize};

/// Frictionless type names; the subset Kaifang infers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    String,
    Integer,
    Number,
    Boolean,
    Date,
    Datetime,
}

impl FieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Date => "date",
            Self::Datetime => "datetime",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::String => "文本",
            Self::Integer => "整数",
            Self::Number => "数值",
            Self::Boolean => "布尔",
            Self::Date => "日期",
            Self::Datetime => "日期时间",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The API name: the header as found (trimmed), or its deterministic renaming.
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// The header exactly as it was in the file, when `name` differs from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    pub fields: Vec<Field>,
}

impl Schema {
    pub fn position(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}
