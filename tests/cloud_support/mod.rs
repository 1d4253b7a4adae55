//! Test support for the cloud tests: a local mock of the Yilianyun platform.

pub mod mock_platform;
