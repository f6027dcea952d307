//! Grading many essays: finding them ([`walk`]), one essay through the
//! engine ([`pipeline`]), the batch in parallel bounded chunks ([`grade`]),
//! near-copies across the batch ([`similar`]), class statistics ([`stats`])
//! and the progress bar ([`progress`]).

pub mod grade;
pub mod pipeline;
pub mod progress;
pub mod similar;
pub mod stats;
pub mod walk;
