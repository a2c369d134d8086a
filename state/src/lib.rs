//! The SQLite state store (being written).
