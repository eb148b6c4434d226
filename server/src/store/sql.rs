//! Building a query whose filters depend on the request, with bound parameters numbered
//! `$1, $2, …` (sqlx's QueryBuilder writes `?` for the Any driver, which PostgreSQL refuses).

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

/// A bound value.
#[derive(Debug, Clone)]
pub enum Value {
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

/// SQL text plus its parameters, in order.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_owned(),
            values: Vec::new(),
        }
    }

    /// Appends SQL text (never user input).
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Sql {
        self.values.push(value.into());
        self.text.push('$');
        self.text.push_str(&self.values.len().to_string());
        self
    }

    /// Appends `other` (whose placeholders count from $1) after this one's, renumbered.
    pub fn append_to(&self, target: &mut Sql) {
        let offset = target.values.len();
        let mut text = String::with_capacity(self.text.len());
        let mut chars = self.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                let mut number = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    number.push(d);
                    chars.next();
                }
                let n: usize = number.parse().unwrap_or(0);
                text.push('$');
                text.push_str(&(n + offset).to_string());
            } else {
                text.push(c);
            }
        }
        target.text.push_str(&text);
        target.values.extend(self.values.iter().cloned());
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The query, ready to run.
    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        self.values
            .iter()
            .fold(sqlx::query(&self.text), |q, v| match v {
                Value::Int(i) => q.bind(*i),
                Value::Text(t) => q.bind(t.as_str()),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::Sql;

    #[test]
    fn appended_conditions_are_renumbered_after_the_existing_parameters() {
        let mut conditions = Sql::new(" WHERE a = ");
        conditions.bind(1_i64).push(" AND b = ").bind("x");
        let mut query = Sql::new("SELECT $1 AS n,");
        query.values.push(super::Value::Int(7));
        conditions.append_to(&mut query);
        assert_eq!(query.text(), "SELECT $1 AS n, WHERE a = $2 AND b = $3");
        assert_eq!(query.values.len(), 3);
    }
}
