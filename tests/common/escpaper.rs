#![allow(dead_code)]
use super::paper::PaperLine;
#[derive(Default)]
pub struct EscPaper {
    pub lines: Vec<PaperLine>,
    pub unknown: Vec<String>,
    pub overflows: usize,
    pub initialised: bool,
    pub cuts: usize,
}
pub fn simulate(_: &[u8], _: u16) -> EscPaper {
    unimplemented!()
}
pub fn dump(_: &[u8]) -> String {
    unimplemented!()
}
