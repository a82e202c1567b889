//! The `news-ls` binary: parses the command line and hands over to [`news_ls::cli`].

fn main() -> std::process::ExitCode {
    news_ls::cli::main()
}
