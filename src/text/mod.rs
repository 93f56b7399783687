pub mod fold;
pub mod mention;
pub mod quote;
