//! Writes the deterministic benchmark corpus: `cargo run --release --example
//! gen_corpus -- N DIR` (N articles into DIR, created if missing).

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(n), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("usage: gen_corpus N DIR");
        return std::process::ExitCode::from(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("gen_corpus: N must be a number, got `{n}`");
        return std::process::ExitCode::from(2);
    };
    let dir = std::path::PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("gen_corpus: cannot create {}: {e}", dir.display());
        return std::process::ExitCode::from(2);
    }
    for a in news_ls::synth::corpus(n) {
        if let Err(e) = std::fs::write(dir.join(&a.name), a.text) {
            eprintln!("gen_corpus: cannot write {}: {e}", a.name);
            return std::process::ExitCode::from(2);
        }
    }
    std::process::ExitCode::SUCCESS
}
