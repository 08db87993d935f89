//! Reading PDFs back as a person's viewer would, with poppler (Debian's poppler-utils, installed
//! by scripts/install-deps.sh): the text a search finds, the page count, the embedded fonts, and
//! pages drawn to PNG.
#![allow(dead_code)] // each test file uses part of it

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(tool: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} could not run ({e}): install poppler-utils (scripts/install-deps.sh)")
    });
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of every page, in reading order (`pdftotext -layout`).
pub fn text(pdf: &Path) -> String {
    run(
        "pdftotext",
        &["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()],
    )
}

/// The text of one page (1-based).
pub fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    run(
        "pdftotext",
        &[
            "-layout".as_ref(),
            "-f".as_ref(),
            page.as_ref(),
            "-l".as_ref(),
            page.as_ref(),
            pdf.as_os_str(),
            "-".as_ref(),
        ],
    )
}

pub fn pages(pdf: &Path) -> usize {
    let info = run("pdfinfo", &[pdf.as_os_str()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"))
}

/// Each font's name and whether it is embedded (`pdffonts`).
pub fn fonts(pdf: &Path) -> Vec<(String, bool)> {
    let listing = run("pdffonts", &[pdf.as_os_str()]);
    listing
        .lines()
        .skip(2)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // name type [encoding...] emb sub uni object-id gen: emb is 5th from the end.
            let emb = cols.len().checked_sub(5).map(|i| cols[i])?;
            Some((cols.first()?.to_string(), emb == "yes"))
        })
        .collect()
}

/// Images placed on the pages (`pdfimages -list`), one line each.
pub fn images(pdf: &Path) -> usize {
    run("pdfimages", &["-list".as_ref(), pdf.as_os_str()])
        .lines()
        .skip(2)
        .count()
}

/// With this set to a folder, [`first_page_png`] also copies the PDF and its PNG there, to look
/// at them after the run.
pub const KEEP_DIR_ENV: &str = "AGENCYDESK_TEST_PDF_DIR";

/// Draws page 1 to `<out_prefix>-1.png` at 80 dpi and returns its path.
pub fn first_page_png(pdf: &Path, out_prefix: &Path) -> PathBuf {
    let png = draw_first_page(pdf, out_prefix);
    if let Some(dir) = std::env::var_os(KEEP_DIR_ENV).map(PathBuf::from) {
        for file in [pdf, png.as_path()] {
            std::fs::copy(file, dir.join(file.file_name().unwrap())).unwrap();
        }
    }
    png
}

fn draw_first_page(pdf: &Path, out_prefix: &Path) -> PathBuf {
    run(
        "pdftoppm",
        &[
            "-png".as_ref(),
            "-r".as_ref(),
            "80".as_ref(),
            "-f".as_ref(),
            "1".as_ref(),
            "-l".as_ref(),
            "1".as_ref(),
            pdf.as_os_str(),
            out_prefix.as_os_str(),
        ],
    );
    let mut name = out_prefix.as_os_str().to_owned();
    name.push("-1.png");
    PathBuf::from(name)
}

/// `text` without any whitespace, to compare text a page wrapped over several lines.
pub fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
