//! Grading many essays: finding them ([`walk`], and those a config lists:
//! [`select`]), one essay through the
//! engine ([`pipeline`]), the batch in parallel bounded chunks ([`grade`]),
//! near-copies across the batch ([`similar`])
//! and the progress bar ([`progress`]).

pub mod grade;
pub mod pipeline;
pub mod progress;
pub mod select;
pub mod similar;
pub mod walk;
