use minijinja::{Environment, Value};

use super::i18n::Lang;

/// The compiled-in templates, parsed once at start.
pub struct Templates {
    env: Environment<'static>,
}

const SOURCES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "datasets.html",
        include_str!("../../templates/datasets.html"),
    ),
    ("dataset.html", include_str!("../../templates/dataset.html")),
    ("error.html", include_str!("../../templates/error.html")),
];

impl Templates {
    pub fn load() -> Result<Self, minijinja::Error> {
        let mut env = Environment::new();
        for (name, source) in SOURCES {
            env.add_template(name, source)?;
        }
        Ok(Self { env })
    }

    pub fn render(
        &self,
        name: &str,
        lang: Lang,
        context: Value,
    ) -> Result<String, minijinja::Error> {
        let template = self.env.get_template(name)?;
        let strings = Value::from(minijinja::value::Serde(lang.strings()));
        template.render(minijinja::context! { t => strings, lang => lang.code(), ..context })
    }
}
