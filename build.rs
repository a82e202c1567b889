//! Generates the list of data tables under `data/<language>/<table>.txt` so that
//! they are compiled into the binary, and adding a language is a data change:
//! drop a folder `data/xx/` with the same table names and rebuild.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let data = Path::new("data");
    println!("cargo:rerun-if-changed=data");
    let mut entries = Vec::new();
    if let Ok(langs) = std::fs::read_dir(data) {
        for lang in langs.flatten() {
            let lang_path = lang.path();
            if !lang_path.is_dir() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", lang_path.display());
            let Some(code) = lang_path
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_owned)
            else {
                continue;
            };
            if let Ok(files) = std::fs::read_dir(&lang_path) {
                for file in files.flatten() {
                    let p = file.path();
                    if p.extension().and_then(|e| e.to_str()) != Some("txt") {
                        continue;
                    }
                    let Some(table) = p.file_stem().and_then(|n| n.to_str()).map(str::to_owned)
                    else {
                        continue;
                    };
                    println!("cargo:rerun-if-changed={}", p.display());
                    let abs = std::fs::canonicalize(&p).unwrap_or(p.clone());
                    entries.push((code.clone(), table, abs.display().to_string()));
                }
            }
        }
    }
    entries.sort();
    let mut out = String::from("/// (language, table, contents) for every file under `data/`.\npub static TABLES: &[(&str, &str, &str)] = &[\n");
    for (code, table, path) in entries {
        let _ = writeln!(out, "    ({code:?}, {table:?}, include_str!({path:?})),");
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let dest = Path::new(&out_dir).join("data_tables.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
