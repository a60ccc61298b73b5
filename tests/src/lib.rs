//! The suite builder shared by the cross-contract tests: one cw-multi-test app with every
//! contract of the suite stored, instantiated and wired, and named, funded accounts.
