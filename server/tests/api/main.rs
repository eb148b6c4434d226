//! HTTP-level tests: the real router on a random port with a fresh database, spoken
//! to like a browser or another system would. Every test runs on SQLite, and also on
//! PostgreSQL when `PORTAL_TEST_POSTGRES_URL` is set (the test command sets it).
//!
//! Each test runs the portal on a runtime with two workers, like a server: on a
//! single-threaded runtime a streamed server-rendered page could now and then wait forever
//! on its resources (a Leptos 0.8 hazard; `main.rs` gives the server at least four workers).

mod support;

mod access;
mod access_matrix;
mod accounts;
mod backup;
mod classifier;

mod api_v1;
mod corrections;
mod durability;
mod english;
mod escalation;
mod estate;
mod evidence;
mod faq;

mod filing;
mod grading;
mod hostile;
mod hotline;
mod households;
mod instances;
mod intake;
mod live;
mod object_storage;
mod operations;
mod outbox;
mod reports;
mod responsibility;
mod sla;
mod staff;
mod surveys;
mod tracking;
mod workflow;
mod working_time;
