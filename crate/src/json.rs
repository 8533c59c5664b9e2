//! A small JSON reader and writer: the one definition of every format Paxoscope reads or
//! writes (traces, cluster configurations, policies, the page's snapshots).
//!
//! Hand-written rather than serde because of what it costs in the browser: serde's derived
//! code plus a serde format (serde-wasm-bindgen or serde_json) was about a third of the
//! WebAssembly module, and the embedding budget is what the page downloads. The formats only
//! need whole numbers, so no float parsing or printing is compiled in either.
//!
//! Reading is strict: unknown fields are refused by name, a number must be whole and in
//! range, and every error says where (`config.policy.loss_ppm: …`). Nesting deeper than
//! [`MAX_DEPTH`] is refused, so no input can exhaust the stack.

use std::fmt::Write as _;

/// The deepest nesting the reader accepts (our formats need 5).
pub const MAX_DEPTH: usize = 64;
/// The most fields an object may have (our formats have at most 20): keeps the duplicate
/// check cheap whatever the input.
pub const MAX_FIELDS: usize = 64;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A whole number from 0 to `u64::MAX`: the only numbers our formats use.
    Num(u64),
    /// Any other number (negative, fractional, exponent, too big), kept as written so an
    /// error can quote it.
    OtherNum(String),
    Str(String),
    Arr(Vec<Json>),
    /// Fields in the order written.
    Obj(Vec<(String, Json)>),
}

/// Writes a value as JSON.
pub trait ToJson {
    /// Written on one line even in pretty text (numbers, strings, `null`): an array of
    /// plain values stays on one line too.
    const PLAIN: bool = false;
    fn write(&self, w: &mut Writer);

    /// Compact JSON text.
    fn json_text(&self) -> String {
        let mut w = Writer::new(false);
        self.write(&mut w);
        w.out
    }

    /// JSON text for people: one field (or array element) per line, indented by two spaces;
    /// arrays of plain values on one line.
    fn json_pretty(&self) -> String {
        let mut w = Writer::new(true);
        self.write(&mut w);
        w.out.push('\n');
        w.out
    }
}

/// Reads a value from JSON; `at` names the place for error messages (`config.nodes`).
pub trait FromJson: Sized {
    fn from_json(v: &Json, at: At) -> Result<Self, String>;
}

/// Where a value sits in the input (`trace.actions[3].propose[1]`): built as the reader
/// descends, at no cost, and written out only when there is an error to report.
#[derive(Clone, Copy)]
pub enum At<'a> {
    /// The whole input, by name (`config`, `policy`, `trace`).
    Root(&'a str),
    Field(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Root(name) => f.write_str(name),
            At::Field(up, key) => write!(f, "{up}.{key}"),
            At::Index(up, i) => write!(f, "{up}[{i}]"),
        }
    }
}

impl Json {
    /// Parse JSON text; the error says what and where (line and column).
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut p = Parser { s: text.as_bytes(), i: 0 };
        let v = p.value(0).and_then(|v| {
            p.ws();
            if p.i < p.s.len() {
                Err("unexpected text after the JSON value".to_string())
            } else {
                Ok(v)
            }
        });
        v.map_err(|e| {
            let before = &p.s[..p.i.min(p.s.len())];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            // Columns count characters, not bytes (the input is UTF-8 text).
            let col = before[line_start..].iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1;
            format!("not valid JSON: {e} at line {line} column {col}")
        })
    }

    /// What kind of value this is, for error messages.
    fn kind(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Num(n) => n.to_string(),
            Json::OtherNum(s) => shorten(s),
            Json::Str(_) => "a string".into(),
            Json::Arr(_) => "an array".into(),
            Json::Obj(_) => "an object".into(),
        }
    }
}

/// At most 40 characters of `s`, for quoting input in an error.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        self.ws();
        let hit = self.s.get(self.i) == Some(&b);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth >= MAX_DEPTH {
            return Err(format!("nested deeper than {MAX_DEPTH} levels"));
        }
        self.ws();
        let Some(&b) = self.s.get(self.i) else { return Err("unexpected end of input".into()) };
        match b {
            b'{' => {
                self.i += 1;
                let mut fields: Vec<(String, Json)> = Vec::new();
                if self.eat(b'}') {
                    return Ok(Json::Obj(fields));
                }
                loop {
                    self.ws();
                    if self.s.get(self.i) != Some(&b'"') {
                        return Err("expected a field name in double quotes".into());
                    }
                    let key = self.string()?;
                    if fields.len() == MAX_FIELDS {
                        return Err(format!("an object has more than {MAX_FIELDS} fields"));
                    }
                    if fields.iter().any(|(k, _)| *k == key) {
                        return Err(format!("field \"{key}\" appears twice"));
                    }
                    if !self.eat(b':') {
                        return Err("expected ':' after a field name".into());
                    }
                    let v = self.value(depth + 1)?;
                    fields.push((key, v));
                    if self.eat(b'}') {
                        return Ok(Json::Obj(fields));
                    }
                    if !self.eat(b',') {
                        return Err("expected ',' or '}' in an object".into());
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Ok(Json::Arr(items));
                    }
                    if !self.eat(b',') {
                        return Err("expected ',' or ']' in an array".into());
                    }
                }
            }
            b'"' => self.string().map(Json::Str),
            b'-' | b'0'..=b'9' => self.number(),
            _ => {
                for (word, v) in [("true", Json::Bool(true)), ("false", Json::Bool(false)), ("null", Json::Null)] {
                    if self.s[self.i..].starts_with(word.as_bytes()) {
                        self.i += word.len();
                        return Ok(v);
                    }
                }
                Err("expected a value".into())
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.i;
        let negative = self.s[self.i] == b'-';
        if negative {
            self.i += 1;
        }
        let int_start = self.i;
        let n = self.digits();
        if n == 0 || (n > 1 && self.s[int_start] == b'0') {
            return Err("malformed number".into());
        }
        let mut whole = !negative;
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            whole = false;
            if self.digits() == 0 {
                return Err("malformed number".into());
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            whole = false;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err("malformed number".into());
            }
        }
        // Only ASCII was consumed, so this slice is valid UTF-8.
        let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default();
        Ok(match text.parse::<u64>() {
            Ok(v) if whole => Json::Num(v),
            _ => Json::OtherNum(text.to_string()),
        })
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self.s.get(self.i..self.i + 4).ok_or("malformed \\u escape")?;
        let mut v = 0;
        for &d in digits {
            v = v * 16 + (d as char).to_digit(16).ok_or("malformed \\u escape")?;
        }
        self.i += 4;
        Ok(v)
    }

    /// A string; `self.i` is at its opening quote.
    fn string(&mut self) -> Result<String, String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(&b) = self.s.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // Stopped at an ASCII byte (or the end), so this is a whole UTF-8 slice.
            out.push_str(std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default());
            match self.s.get(self.i) {
                None => return Err("unterminated string".into()),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let Some(&e) = self.s.get(self.i) else { return Err("unterminated string".into()) };
                    self.i += 1;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if !self.s[self.i..].starts_with(b"\\u") {
                                    return Err("unpaired surrogate in a \\u escape".into());
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err("unpaired surrogate in a \\u escape".into());
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or("unpaired surrogate in a \\u escape")?
                        }
                        _ => return Err("unknown escape in a string".into()),
                    });
                }
                Some(_) => return Err("control character in a string (write it as an escape)".into()),
            }
        }
    }
}

// ---- Writing --------------------------------------------------------------------------------

/// JSON text being written, straight into a string (no tree in between).
pub struct Writer {
    out: String,
    pretty: bool,
    /// For each open object or array: whether its items go on their own lines, and whether
    /// it has any yet.
    open: Vec<(bool, bool)>,
}

impl Writer {
    fn new(pretty: bool) -> Writer {
        Writer { out: String::new(), pretty, open: Vec::new() }
    }

    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.open.len() {
            self.out.push_str("  ");
        }
    }

    /// Before an item of the innermost object or array.
    fn item(&mut self) {
        if let Some((lines, any)) = self.open.last_mut() {
            let (lines, any) = (*lines, std::mem::replace(any, true));
            if any {
                self.out.push(',');
                if self.pretty && !lines {
                    self.out.push(' ');
                }
            }
            if lines {
                self.newline();
            }
        }
    }

    fn begin(&mut self, bracket: char, lines: bool) {
        self.out.push(bracket);
        self.open.push((lines && self.pretty, false));
    }

    fn end(&mut self, bracket: char) {
        if let Some((lines, any)) = self.open.pop() {
            if lines && any {
                self.newline();
            }
        }
        self.out.push(bracket);
    }

    pub fn null(&mut self) {
        self.out.push_str("null");
    }

    pub fn num(&mut self, n: u64) {
        let _ = write!(self.out, "{n}");
    }

    pub fn str(&mut self, s: &str) {
        write_str(&mut self.out, s);
    }

    /// An object: `w.obj().field("a", &1).end()`.
    pub fn obj(&mut self) -> Obj<'_> {
        self.begin('{', true);
        Obj(self)
    }

    /// An array of `items`, on one line when they are plain.
    pub fn arr<'a, T: ToJson + 'a>(&mut self, items: impl IntoIterator<Item = &'a T>, plain: bool) {
        self.begin('[', !plain);
        for v in items {
            self.item();
            v.write(self);
        }
        self.end(']');
    }
}

/// `impl ToJson` for a struct written as an object of the listed fields, in that order,
/// each under its own name: `json_object!(LogLine { step, time, text });`.
macro_rules! json_object {
    ($t:ty { $($field:ident),+ $(,)? }) => {
        impl $crate::json::ToJson for $t {
            fn write(&self, w: &mut $crate::json::Writer) {
                w.obj()$(.field(stringify!($field), &self.$field))+.end()
            }
        }
    };
}
pub(crate) use json_object;

/// An object being written.
pub struct Obj<'a>(&'a mut Writer);

impl Obj<'_> {
    pub fn field(self, key: &str, v: &impl ToJson) -> Self {
        self.0.item();
        self.0.str(key);
        self.0.out.push_str(if self.0.pretty { ": " } else { ":" });
        v.write(self.0);
        self
    }
    /// A field written only when `keep` holds (for optional fields).
    pub fn field_if(self, keep: bool, key: &str, v: &impl ToJson) -> Self {
        if keep {
            self.field(key, v)
        } else {
            self
        }
    }
    pub fn end(self) {
        self.0.end('}');
    }
}

/// A parsed value writes back as it was read (spacing aside).
impl ToJson for Json {
    fn write(&self, w: &mut Writer) {
        match self {
            Json::Null => w.null(),
            Json::Bool(b) => b.write(w),
            Json::Num(n) => w.num(*n),
            Json::OtherNum(s) => w.out.push_str(s),
            Json::Str(s) => w.str(s),
            Json::Arr(items) => w.arr(items, items.iter().all(|v| !matches!(v, Json::Arr(_) | Json::Obj(_)))),
            Json::Obj(fields) => {
                let mut o = w.obj();
                for (k, v) in fields {
                    o = o.field(k, v);
                }
                o.end();
            }
        }
    }
}

// ---- Reading objects ---------------------------------------------------------------------

/// An object being read: refuses unknown fields up front, then hands out the known ones.
pub struct Fields<'a> {
    fields: &'a [(String, Json)],
    at: At<'a>,
}

impl<'a> Fields<'a> {
    /// `v` must be an object whose every field is in `known`.
    pub fn new(v: &'a Json, at: At<'a>, known: &[&str]) -> Result<Fields<'a>, String> {
        let Json::Obj(fields) = v else { return Err(format!("{at} must be an object, not {}", v.kind())) };
        if let Some((key, _)) = fields.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            return Err(format!("unknown field \"{}\" in {at}; the fields are: {}", shorten(key), known.join(", ")));
        }
        Ok(Fields { fields, at })
    }

    fn get(&self, key: &str) -> Option<&'a Json> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A field that must be present.
    pub fn req<T: FromJson>(&self, key: &str) -> Result<T, String> {
        match self.get(key) {
            Some(v) => T::from_json(v, At::Field(&self.at, key)),
            None => Err(format!("{} is missing", At::Field(&self.at, key))),
        }
    }

    /// A field with a default when absent.
    pub fn or<T: FromJson>(&self, key: &str, default: T) -> Result<T, String> {
        match self.get(key) {
            Some(v) => T::from_json(v, At::Field(&self.at, key)),
            None => Ok(default),
        }
    }
}

/// A whole number from 0 to `max`.
pub fn whole(v: &Json, at: At, max: u64) -> Result<u64, String> {
    match v {
        Json::Num(n) if *n <= max => Ok(*n),
        _ => Err(format!("{at} must be a whole number from 0 to {max}, not {}", v.kind())),
    }
}

// ---- Plain types -------------------------------------------------------------------------

impl ToJson for bool {
    const PLAIN: bool = true;
    fn write(&self, w: &mut Writer) {
        w.out.push_str(if *self { "true" } else { "false" });
    }
}
impl FromJson for bool {
    fn from_json(v: &Json, at: At) -> Result<bool, String> {
        match v {
            Json::Bool(b) => Ok(*b),
            _ => Err(format!("{at} must be true or false, not {}", v.kind())),
        }
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            const PLAIN: bool = true;
            fn write(&self, w: &mut Writer) {
                w.num(*self as u64);
            }
        }
        impl FromJson for $t {
            fn from_json(v: &Json, at: At) -> Result<$t, String> {
                whole(v, at, <$t>::MAX as u64).map(|n| n as $t)
            }
        }
    )*};
}
unsigned!(u8, u32, u64, usize);

impl ToJson for &str {
    const PLAIN: bool = true;
    fn write(&self, w: &mut Writer) {
        w.str(self);
    }
}
impl ToJson for String {
    const PLAIN: bool = true;
    fn write(&self, w: &mut Writer) {
        w.str(self);
    }
}
impl FromJson for String {
    fn from_json(v: &Json, at: At) -> Result<String, String> {
        match v {
            Json::Str(s) => Ok(s.clone()),
            _ => Err(format!("{at} must be a string, not {}", v.kind())),
        }
    }
}

/// `None` is `null`.
impl<T: ToJson> ToJson for Option<T> {
    const PLAIN: bool = T::PLAIN;
    fn write(&self, w: &mut Writer) {
        match self {
            Some(v) => v.write(w),
            None => w.null(),
        }
    }
}
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Json, at: At) -> Result<Option<T>, String> {
        match v {
            Json::Null => Ok(None),
            v => T::from_json(v, at).map(Some),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write(&self, w: &mut Writer) {
        w.arr(self, T::PLAIN);
    }
}
impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Json, at: At) -> Result<Vec<T>, String> {
        match v {
            Json::Arr(items) => items.iter().enumerate().map(|(i, v)| T::from_json(v, At::Index(&at, i))).collect(),
            _ => Err(format!("{at} must be an array, not {}", v.kind())),
        }
    }
}

/// A pair is a two-element array.
impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn write(&self, w: &mut Writer) {
        w.begin('[', !(A::PLAIN && B::PLAIN));
        w.item();
        self.0.write(w);
        w.item();
        self.1.write(w);
        w.end(']');
    }
}
impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn from_json(v: &Json, at: At) -> Result<(A, B), String> {
        match v {
            Json::Arr(items) if items.len() == 2 => Ok((A::from_json(&items[0], At::Index(&at, 0))?, B::from_json(&items[1], At::Index(&at, 1))?)),
            _ => Err(format!("{at} must be an array of two values, not {}", v.kind())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        Json::parse(text).unwrap().json_text()
    }

    #[test]
    fn parses_and_writes_back_every_kind_of_value() {
        assert_eq!(round_trip(r#" { "a" : [1, true, false, null, "x\"y\\z\n", {}, []], "b": {"c": 0} } "#), r#"{"a":[1,true,false,null,"x\"y\\z\n",{},[]],"b":{"c":0}}"#);
        assert_eq!(Json::parse("18446744073709551615").unwrap(), Json::Num(u64::MAX));
        assert_eq!(Json::parse("18446744073709551616").unwrap(), Json::OtherNum("18446744073709551616".into()));
        for other in ["-1", "1.5", "1e3", "-0", "0.0", "2E-2"] {
            assert_eq!(Json::parse(other).unwrap(), Json::OtherNum(other.into()), "{other}");
        }
        assert_eq!(Json::parse(r#""\u00e9\ud83d\ude00\/\t""#).unwrap(), Json::Str("é😀/\t".into()));
        assert_eq!(Json::Str("a\u{1}é".into()).json_text(), r#""a\u0001é""#);
        assert_eq!(Json::parse(r#""Grün →""#).unwrap(), Json::Str("Grün →".into()));
    }

    #[test]
    fn refuses_malformed_text_with_a_position() {
        for (bad, why) in [
            ("", "end of input"),
            ("{", "field name"),
            ("{\"a\" 1}", "':'"),
            ("{\"a\":1,}", "field name"),
            ("[1,]", "expected a value"),
            ("[1 2]", "',' or ']'"),
            ("01", "malformed number"),
            ("1.", "malformed number"),
            ("-", "malformed number"),
            ("\"abc", "unterminated"),
            ("\"a\nb\"", "control character"),
            ("\"\\x\"", "unknown escape"),
            ("\"\\ud800\"", "unpaired surrogate"),
            ("\"\\u12\"", "malformed"),
            ("tru", "expected a value"),
            ("{\"a\":1,\"a\":2}", "appears twice"),
            ("1 2", "after the JSON value"),
        ] {
            let e = Json::parse(bad).unwrap_err();
            assert!(e.starts_with("not valid JSON") && e.contains(why) && e.contains("line 1 column"), "{bad:?}: {e}");
        }
        assert!(Json::parse("[\n  1,\n  ?]").unwrap_err().ends_with("line 3 column 3"));
        assert!(Json::parse("[\"—é\", ?]").unwrap_err().ends_with("line 1 column 8"), "columns count characters");
        let wide = format!("{{{}}}", (0..=MAX_FIELDS).map(|i| format!("\"k{i}\":0")).collect::<Vec<_>>().join(","));
        assert!(Json::parse(&wide).unwrap_err().contains("more than 64 fields"));
        let long = format!("{{\"{}\":1}}", "x".repeat(500));
        let e = Fields::new(&Json::parse(&long).unwrap(), At::Root("config"), &["a"]).err().unwrap();
        assert!(e.len() < 120 && e.contains("xxx…"), "quoted input is shortened: {e}");
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(Json::parse(&deep).unwrap_err().contains("nested deeper"));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(Json::parse(&ok).is_ok());
    }

    #[test]
    fn pretty_text_is_readable_and_parses_back_the_same() {
        let v = Json::parse(r#"{"a":[1,"x"],"b":[{"c":[]},{}],"d":{}}"#).unwrap();
        assert_eq!(v.json_pretty(), "{\n  \"a\": [1, \"x\"],\n  \"b\": [\n    {\n      \"c\": []\n    },\n    {}\n  ],\n  \"d\": {}\n}\n");
        assert_eq!(Json::parse(&v.json_pretty()).unwrap(), v);
    }

    #[test]
    fn reading_fields_names_the_place_of_every_error() {
        let v = Json::parse(r#"{"n": 3, "xs": [1, -2], "s": 5, "b": "yes"}"#).unwrap();
        let f = Fields::new(&v, At::Root("config"), &["n", "xs", "s", "b", "absent"]).unwrap();
        assert_eq!(f.req::<u32>("n"), Ok(3));
        assert_eq!(f.or::<u32>("absent", 7), Ok(7));
        assert_eq!(f.req::<u32>("absent").unwrap_err(), "config.absent is missing");
        assert_eq!(f.req::<Vec<u32>>("xs").unwrap_err(), "config.xs[1] must be a whole number from 0 to 4294967295, not -2");
        assert_eq!(f.req::<String>("s").unwrap_err(), "config.s must be a string, not 5");
        assert_eq!(f.req::<bool>("b").unwrap_err(), "config.b must be true or false, not a string");
        assert_eq!(f.req::<u8>("n"), Ok(3));
        assert!(f.req::<(u8, u8)>("xs").unwrap_err().contains("config.xs[1]"));
        let e = Fields::new(&v, At::Root("config"), &["n"]).err().unwrap();
        assert_eq!(e, "unknown field \"xs\" in config; the fields are: n");
        assert_eq!(Fields::new(&Json::Num(1), At::Root("config"), &[]).err().unwrap(), "config must be an object, not 1");
        assert_eq!(u8::from_json(&Json::Num(256), At::Root("id")).unwrap_err(), "id must be a whole number from 0 to 255, not 256");
    }
}
