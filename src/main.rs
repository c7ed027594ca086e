use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = kepboard::cli::Cli::parse();
    match kepboard::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
