//! Reading JS values as strictly as files are read: a serde `Deserializer` over JS values
//! (js-sys), for the same derived formats that serde_json reads natively.
//!
//! Why not `serde_wasm_bindgen::from_value`: it reads only the fields a struct knows, so a
//! misspelt field (`{ loss: 1 }`) would pass silently, and it treats a field set to
//! `undefined` as present. Here an unknown field is refused by name, a field whose value is
//! `undefined` counts as missing (it takes its default), numbers must be whole and in range
//! (`must be a whole number from 0 to 255, not 1.5`: JS prints the number, so no float
//! formatting is compiled in), and every error names its place (`config.policy.loss_ppm: …`),
//! tracked here as the error goes up (serde_path_to_error, which does that natively, was about
//! 100 KB of the module's code: it wraps every visitor). serde-wasm-bindgen's deserializer
//! beside this one added another 38 KB of code, one more copy of every format's reader. The
//! formats are at most five levels deep, and a value of the wrong shape is refused where it is
//! met, so no input (a cycle included) can make this recurse without end.

use js_sys::{Array, Object, Reflect};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use wasm_bindgen::{JsCast, JsValue};

/// A reading error, and its place, built innermost first as the error goes up.
#[derive(Debug)]
pub struct Error {
    msg: String,
    /// `.field` and `[index]` parts, innermost first.
    path: Vec<String>,
}

impl Error {
    fn new(msg: String) -> Error {
        Error { msg, path: Vec::new() }
    }
    fn at(mut self, part: String) -> Error {
        self.path.push(part);
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Error {
        Error::new(msg.to_string())
    }

    /// serde's own text, but without printing a float (`Unexpected`'s Display would bring
    /// float formatting into the module for a case our reader never produces).
    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Error {
        Error::new(format!("must be {exp}, not {}", unexpected(unexp)))
    }

    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Error {
        Error::new(format!("must be {exp}, not {}", unexpected(unexp)))
    }
}

/// What was found instead, in words.
fn unexpected(u: de::Unexpected) -> String {
    match u {
        de::Unexpected::Bool(b) => b.to_string(),
        de::Unexpected::Unsigned(n) => n.to_string(),
        de::Unexpected::Signed(n) => n.to_string(),
        de::Unexpected::Str(s) => format!("the string \"{s}\""),
        de::Unexpected::Unit => "null".into(),
        de::Unexpected::Seq => "an array".into(),
        de::Unexpected::Map => "an object".into(),
        _ => "a value of another kind".into(),
    }
}

/// How JS prints a value, for an error: `1.5`, `NaN`, `a string`, `an object`.
fn shown(v: &JsValue) -> String {
    if v.is_string() {
        "a string".into()
    } else if Array::is_array(v) {
        "an array".into()
    } else if v.is_object() {
        "an object".into()
    } else {
        super::js_string(v)
    }
}

/// A JS value to read.
pub struct Js(pub JsValue);

impl Js {
    /// A plain object (not an array, not null).
    fn object(&self) -> Option<&Object> {
        Js::object_of(&self.0)
    }

    fn object_of(v: &JsValue) -> Option<&Object> {
        (v.is_object() && !Array::is_array(v)).then(|| v.unchecked_ref::<Object>())
    }
}

/// Whole numbers: read here, so the error says what was wrong the way the CLI's does
/// (`must be a whole number from 0 to 255, not 1.5`) and no float formatting is compiled in.
macro_rules! whole {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0.as_f64() {
                Some(x) if x.fract() == 0.0 && (0.0..=<$t>::MAX as f64).contains(&x) => visitor.$visit(x as $t),
                _ => Err(Error::new(format!("must be a whole number from 0 to {}, not {}", <$t>::MAX, shown(&self.0)))),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Js {
    type Error = Error;

    /// Whatever the value is: what a type that takes several shapes asks for.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_unit()
        } else if let Some(b) = self.0.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(s) = self.0.as_string() {
            visitor.visit_string(s)
        } else if let Some(x) = self.0.as_f64() {
            if x.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(&x) {
                visitor.visit_u64(x as u64)
            } else {
                Err(Error::new(format!("must be a whole number from 0 to {}, not {}", u64::MAX, shown(&self.0))))
            }
        } else if Array::is_array(&self.0) {
            self.deserialize_seq(visitor)
        } else {
            Err(Error::new(format!("cannot be read: {}", shown(&self.0))))
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_bool() {
            Some(b) => visitor.visit_bool(b),
            None => Err(Error::new(format!("must be true or false, not {}", shown(&self.0)))),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_string() {
            Some(s) => visitor.visit_string(s),
            None => Err(Error::new(format!("must be a string, not {}", shown(&self.0)))),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    whole!(deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16, deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64);

    forward_to_deserialize_any!(i8 i16 i32 i64 f32 f64 char bytes byte_buf unit unit_struct map ignored_any);

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_undefined() || self.0.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !Array::is_array(&self.0) {
            return Err(Error::new(format!("must be an array, not {}", shown(&self.0))));
        }
        visitor.visit_seq(Items { items: self.0.unchecked_into(), next: 0 })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        if Array::is_array(&self.0) {
            let n = self.0.unchecked_ref::<Array>().length() as usize;
            if n != len {
                return Err(de::Error::invalid_length(n, &format!("an array of {len}").as_str()));
            }
        }
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _name: &'static str, len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(self, _name: &'static str, fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(Fields::new(&self.0, fields)?)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _name: &'static str, variants: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        if let Some(tag) = self.0.as_string() {
            // A unit variant by its name.
            return visitor.visit_enum(de::value::StringDeserializer::<Error>::new(tag));
        }
        let Some(obj) = self.object() else { return Err(Error::new(format!("must be a name or an object, not {}", shown(&self.0)))) };
        let keys = Object::keys(obj);
        if keys.length() != 1 {
            return Err(Error::new(format!("must be a name or an object with one field, the variant's name, one of: {}", variants.join(", "))));
        }
        let tag = keys.get(0);
        let payload = Reflect::get(obj, &tag).unwrap_or_default();
        visitor.visit_enum(Variant { tag: tag.as_string().unwrap_or_default(), payload: Js(payload) })
    }
}

struct Items {
    items: Array,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        if self.next >= self.items.length() {
            return Ok(None);
        }
        self.next += 1;
        let i = self.next - 1;
        seed.deserialize(Js(self.items.get(i))).map(Some).map_err(|e| e.at(format!("[{i}]")))
    }
    fn size_hint(&self) -> Option<usize> {
        Some((self.items.length() - self.next) as usize)
    }
}

/// A struct's fields that are present and not `undefined`, in the struct's order.
struct Fields {
    obj: Object,
    fields: std::slice::Iter<'static, &'static str>,
    value: Option<(&'static str, JsValue)>,
}

// The work that does not depend on the type being read is done once, out of line, rather
// than again in every format's reader.
impl Fields {
    /// `v` as a struct with these fields: an object with no other field (but `undefined` ones).
    #[inline(never)]
    fn new(v: &JsValue, fields: &'static [&'static str]) -> Result<Fields, Error> {
        let Some(obj) = Js::object_of(v) else { return Err(Error::new(format!("must be an object, not {}", shown(v)))) };
        for key in Object::keys(obj).iter() {
            let name = key.as_string().unwrap_or_default();
            if !fields.contains(&name.as_str()) && !Reflect::get(obj, &key).unwrap_or_default().is_undefined() {
                return Err(de::Error::unknown_field(&name, fields));
            }
        }
        Ok(Fields { obj: obj.clone(), fields: fields.iter(), value: None })
    }

    /// The next field that is present and not `undefined`.
    #[inline(never)]
    fn next_present(&mut self) -> Option<&'static str> {
        for &field in &mut self.fields {
            let v = Reflect::get(&self.obj, &JsValue::from_str(field)).unwrap_or_default();
            if !v.is_undefined() {
                self.value = Some((field, v));
                return Some(field);
            }
        }
        None
    }
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.next_present() {
            Some(field) => seed.deserialize(field.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (field, v) = self.value.take().unwrap_or_default();
        seed.deserialize(Js(v)).map_err(|e| e.at(format!(".{field}")))
    }
}

/// `{ name: payload }`.
struct Variant {
    tag: String,
    payload: Js,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Payload;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Payload), Error> {
        let part = format!(".{}", self.tag);
        let tag: de::value::StringDeserializer<Error> = self.tag.into_deserializer();
        Ok((seed.deserialize(tag)?, Payload(self.payload, part)))
    }
}

/// A variant's payload, and its place (`.propose`) for errors.
struct Payload(Js, String);

impl<'de> de::VariantAccess<'de> for Payload {
    type Error = Error;
    /// `{ step: null }` (or `undefined`) reads as the unit variant, as serde_json reads it.
    fn unit_variant(self) -> Result<(), Error> {
        if self.0 .0.is_null() || self.0 .0.is_undefined() {
            Ok(())
        } else {
            Err(Error::new("takes no argument".into()).at(self.1))
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self.0).map_err(|e| e.at(self.1))
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_tuple(self.0, len, visitor).map_err(|e| e.at(self.1))
    }
    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_struct(self.0, "", fields, visitor).map_err(|e| e.at(self.1))
    }
}

/// Read `T` from a JS value; `what` names it in errors (`config`, `policy`), followed by the
/// place: `config.policy.loss_ppm: must be a whole number from 0 to 4294967295, not -1`.
pub fn from_js<T: de::DeserializeOwned>(v: JsValue, what: &str) -> Result<T, String> {
    if v.is_undefined() {
        return Err(format!("{what} is missing"));
    }
    T::deserialize(Js(v)).map_err(|e| {
        let mut place = what.to_string();
        for part in e.path.iter().rev() {
            place.push_str(part);
        }
        format!("{place}: {}", e.msg)
    })
}
