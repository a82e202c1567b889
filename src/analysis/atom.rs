//! Interned strings ([`Atom`]) for the short texts a corpus repeats millions
//! of times: a mention's surface, role and gazetteer name, a quotation's
//! speaker, cue and nearest candidate, a boilerplate line's reason.
//!
//! An atom is a 4-byte handle (`Option<Atom>` too) to a string kept for the
//! life of the process, so equal texts share one copy and one id. Interning
//! takes a sharded map look-up (the global lock only for a text never seen
//! before); reading an atom's text is two atomic loads, with no lock.
//!
//! The strings are never freed: the table grows with every distinct text
//! the process ever analyses, edits included (typing a name interns each
//! prefix analysed on the way). A corpus repeats these texts (6,254 distinct
//! ones, 0.4 MB, for a 57 MB benchmark corpus of 10k articles); a file made of
//! distinct capitalised words interns each of them (at most its size plus
//! ≈ 28 bytes a text). That is the price of no allocation per mention.
//!
//! Ids are handed out in the order texts are first seen, which depends on
//! thread scheduling: nothing may order by id (compare texts instead; equality
//! and hashing by id are exact).

use std::fmt;
use std::hash::{Hash, Hasher};
use std::num::NonZeroU32;
use std::ops::Deref;
use std::sync::{LazyLock, Mutex};

use dashmap::DashMap;
use serde::{Serialize, Serializer};

type FastBuildHasher = rustc_hash::FxBuildHasher;

/// An interned string: equal texts are equal atoms.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Atom(NonZeroU32);

struct Interner {
    ids: DashMap<&'static str, Atom, FastBuildHasher>,
    /// Index `id - 1` holds the text of atom `id`.
    texts: boxcar::Vec<&'static str>,
    /// Held while a new text is added, so that one text gets one id.
    adding: Mutex<()>,
}

static INTERNER: LazyLock<Interner> = LazyLock::new(|| Interner {
    ids: DashMap::with_hasher(FastBuildHasher::default()),
    texts: boxcar::Vec::new(),
    adding: Mutex::new(()),
});

impl Atom {
    /// The atom of `text` (added to the table the first time it is seen).
    pub fn new(text: &str) -> Atom {
        let table = &*INTERNER;
        if let Some(a) = table.ids.get(text) {
            return *a;
        }
        let _adding = match table.adding.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(a) = table.ids.get(text) {
            return *a;
        }
        let kept: &'static str = Box::leak(Box::from(text));
        let index = table.texts.push(kept);
        // Past u32::MAX distinct texts the last id is reused: texts would be
        // wrong, never unsafe (and 4 billion distinct surfaces is far beyond
        // any corpus this server can hold).
        let id = u32::try_from(index)
            .ok()
            .and_then(|i| i.checked_add(1))
            .and_then(NonZeroU32::new)
            .unwrap_or(NonZeroU32::MAX);
        let atom = Atom(id);
        table.ids.insert(kept, atom);
        atom
    }

    /// The text.
    pub fn as_str(self) -> &'static str {
        let index = self.0.get() as usize - 1;
        INTERNER.texts.get(index).copied().unwrap_or("")
    }

    /// How many texts are interned, and the bytes they and their table hold.
    pub fn interned() -> (usize, usize) {
        let table = &*INTERNER;
        let count = table.texts.count();
        let texts: usize = table.texts.iter().map(|(_, t)| t.len()).sum();
        // Per text: its table slot, its map entry (key and id, about twice
        // over for the map's spare room).
        let per_text = size_of::<&str>() + 2 * (size_of::<&str>() + size_of::<Atom>());
        (count, texts + count * per_text)
    }
}

impl Deref for Atom {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Atom {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Hash for Atom {
    // By id: equal texts are equal ids. (No `Borrow<str>` for this reason: a
    // map keyed by atoms is looked up with atoms.)
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl PartialOrd for Atom {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Atom {
    /// By text (ids say nothing about order).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if self == other {
            std::cmp::Ordering::Equal
        } else {
            self.as_str().cmp(other.as_str())
        }
    }
}

impl From<&str> for Atom {
    fn from(text: &str) -> Atom {
        Atom::new(text)
    }
}

impl From<String> for Atom {
    fn from(text: String) -> Atom {
        Atom::new(&text)
    }
}

impl From<Atom> for String {
    fn from(a: Atom) -> String {
        a.as_str().to_string()
    }
}

impl PartialEq<str> for Atom {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Atom {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Atom> for str {
    fn eq(&self, other: &Atom) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Atom> for &str {
    fn eq(&self, other: &Atom) -> bool {
        *self == other.as_str()
    }
}

impl fmt::Debug for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl Serialize for Atom {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_are_one_atom_and_read_back() {
        let a = Atom::new("Alexandre Loukachenko");
        let b = Atom::from(String::from("Alexandre Loukachenko"));
        let c = Atom::new("Loukachenko");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.as_str(), "Alexandre Loukachenko");
        assert_eq!(&*c, "Loukachenko");
        // One id: equal atoms hash alike (hashing is by id).
        let hash = |x: Atom| {
            use std::hash::{BuildHasher, BuildHasherDefault};
            BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(x)
        };
        assert_eq!(hash(a), hash(b));
        assert_eq!(Atom::new(""), Atom::new(""));
        assert_eq!(Atom::new("").as_str(), "");
    }

    #[test]
    fn atoms_are_four_bytes_and_order_by_text() {
        assert_eq!(std::mem::size_of::<Atom>(), 4);
        assert_eq!(std::mem::size_of::<Option<Atom>>(), 4);
        // Made in the reverse order of their texts.
        let z = Atom::new("zzz-order-test");
        let a = Atom::new("aaa-order-test");
        assert!(a < z);
        let mut v = vec![z, a];
        v.sort();
        assert_eq!(v, [a, z]);
    }

    #[test]
    fn interning_from_many_threads_gives_one_id_per_text() {
        let texts: Vec<String> = (0..200).map(|i| format!("thread-test-{i}")).collect();
        let runs: Vec<Vec<Atom>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| texts.iter().map(|t| Atom::new(t)).collect::<Vec<_>>()))
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        assert_eq!(runs.len(), 4);
        for run in &runs {
            assert_eq!(run, &runs[0]);
        }
        for (t, a) in texts.iter().zip(&runs[0]) {
            assert_eq!(a.as_str(), t);
        }
    }

    #[test]
    fn serialises_as_its_text() {
        let a = Atom::new("le président \"biélorusse\"");
        assert_eq!(
            serde_json::to_string(&a).ok().as_deref(),
            Some("\"le président \\\"biélorusse\\\"\"")
        );
    }
}
