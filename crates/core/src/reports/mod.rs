//! What a client is told about their month: call counts, minutes, outcomes, the success
//! evaluation rate, busiest days and hours, per-assistant figures, notable calls. Read from the call cache; never a cost or a
//! margin (the queries read no money column). `documents` draws it as a PDF.

mod month;
mod notable;
mod outcome;

pub use month::{
    client_month, AssistantFigures, ClientMonth, DayFigures, NotableCall, SuccessRate, Totals,
};
pub use outcome::Outcome;
