//! Everything the CLI prints on standard output: text, JSON and aligned tables. A failed write
//! (a closed pipe, a full disk) becomes [`AppError::Output`] here and nowhere else.

use std::io::Write;

use serde::Serialize;

use crate::error::AppError;

/// Writes `text` to standard output and flushes it.
pub(crate) fn write_stdout(text: &str) -> Result<(), AppError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| AppError::Output { source })
}

/// `value` as indented JSON, ending in a newline.
pub(crate) fn json(value: &impl Serialize) -> Result<String, AppError> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| AppError::Output {
        source: std::io::Error::other(e),
    })?;
    text.push('\n');
    Ok(text)
}

/// The command that gives a client a pricing plan, for messages that send the user there.
pub(crate) fn set_plan_command(client_id: &str) -> String {
    format!("agencydesk plan set --client {client_id} --markup-percent 25")
}

/// How a table column lines up: names left, figures right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A header line and one line per row, columns padded to their widest cell and two spaces
/// apart; trailing spaces are trimmed.
pub(crate) fn table<const N: usize>(
    header: [&str; N],
    align: [Align; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> String {
    let rows: Vec<[String; N]> = rows.into_iter().collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(header.map(str::to_owned)).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths.iter().zip(align))
            .map(|(cell, (&width, align))| match align {
                Align::Left => format!("{cell:<width$}"),
                Align::Right => format!("{cell:>width$}"),
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_pads_to_the_widest_cell_and_aligns_each_column() {
        let text = table(
            ["NAME", "CALLS", "NOTE"],
            [Align::Left, Align::Right, Align::Left],
            [
                ["Acme".to_owned(), "12".to_owned(), String::new()],
                ["Bright Smiles".to_owned(), "0".to_owned(), "new".to_owned()],
            ],
        );
        assert_eq!(
            text,
            "NAME           CALLS  NOTE\n\
             Acme              12\n\
             Bright Smiles      0  new\n"
        );
    }

    #[test]
    fn json_is_indented_and_ends_in_a_newline() {
        assert_eq!(json(&[1]).unwrap(), "[\n  1\n]\n");
    }
}
