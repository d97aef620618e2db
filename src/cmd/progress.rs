//! A one-line progress indicator for builds that take a while: shown on an interactive
//! terminal only, and only once a build has run for a second, so quick builds, pipes and
//! CI logs never see it.

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const DELAY: Duration = Duration::from_secs(1);
const TICK: Duration = Duration::from_millis(120);
const FRAMES: &[char] = &['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// Runs while it lives; dropping it stops and erases the indicator.
pub struct Spinner {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Starts the indicator if `wanted` and stderr is a terminal.
    pub fn start(wanted: bool, label: &'static str) -> Spinner {
        if !wanted || !std::io::stderr().is_terminal() {
            return Spinner {
                stop: None,
                thread: None,
            };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            if !matches!(stopped.recv_timeout(DELAY), Err(RecvTimeoutError::Timeout)) {
                return;
            }
            let mut frame = 0;
            loop {
                let secs = started.elapsed().as_secs_f64();
                eprint!("\r{} {label}… {secs:.1} s", FRAMES[frame % FRAMES.len()]);
                let _ = std::io::stderr().flush();
                frame += 1;
                if !matches!(stopped.recv_timeout(TICK), Err(RecvTimeoutError::Timeout)) {
                    // Erase the line so the build's own output starts clean.
                    eprint!("\r\x1b[2K");
                    let _ = std::io::stderr().flush();
                    return;
                }
            }
        });
        Spinner {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
