//! The buffers of the last render on a thread, kept for the next render there.
//!
//! A render binds a document, lays it out into a frame and lowers the frame; the document is
//! done with once laid out, the frame once the caller drops the [`Job`](crate::printer::Job)
//! that holds it. Both are a few large buffers (about 1.5 MB and 0.8 MB for the ~4,000-line
//! benchmark receipt). Handed back to the allocator after every render and asked for again by
//! the next, glibc gave that memory back to the system in between whenever an earlier result
//! was still held (the freed buffers were the heap's top), and every render faulted it in again:
//! about 230 page faults a render of that receipt, which made it cost ~170× the ~40-line one
//! instead of ~110×. Kept here, emptied, the next render writes into memory it already has
//! (`benches/peers.rs` prints the page faults a render with and without an earlier result held).
//!
//! The policy, for every kind of buffers kept ([`Document::recycle`](crate::document::Document)
//! and `Frame`'s `Drop` put them here; `Builder::with_capacity` and `Frame::with_capacity` take
//! them): one set of each kind a thread, the last one given, and only when it holds at most
//! [`MAX_BYTES`] (a document far larger than receipts are is not held for the rest of the
//! thread's life). Nothing is read from kept buffers but their capacity: they are emptied
//! before they are kept. A render on another thread allocates its own.

use std::cell::Cell;
use std::thread::LocalKey;

/// The most bytes of capacity kept for one kind of buffers on one thread.
pub(crate) const MAX_BYTES: usize = 8 << 20;

/// A thread's slot for one kind of buffers.
pub(crate) type Slot<T> = LocalKey<Cell<Option<T>>>;

/// Keeps `buffers` (emptied, `bytes` of capacity in all) in `slot` for the next render on
/// this thread, in place of what it held, unless they hold more than [`MAX_BYTES`] or hold
/// nothing (a frame that never had buffers does not take the place of one that had). While
/// the thread is being torn down there is no slot: then they are dropped.
pub(crate) fn keep<T>(slot: &'static Slot<T>, buffers: T, bytes: usize) {
    if bytes > 0 && bytes <= MAX_BYTES {
        let _ = slot.try_with(|s| s.set(Some(buffers)));
    }
}

/// The buffers `slot` holds on this thread, if any (the slot is left empty).
pub(crate) fn take<T>(slot: &'static Slot<T>) -> Option<T> {
    slot.try_with(Cell::take).ok().flatten()
}

/// The bytes of capacity of `v`.
pub(crate) fn bytes_of<T>(v: &Vec<T>) -> usize {
    v.capacity().saturating_mul(size_of::<T>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Environment;
    use crate::backend::Catalogue;
    use crate::document::{Align, Builder, Origin, Style, TextKind};
    use crate::frame::Frame;
    use crate::measure::Encoding;

    thread_local! {
        static TEST: Cell<Option<Vec<u8>>> = const { Cell::new(None) };
    }

    #[test]
    fn only_buffers_within_the_bound_are_kept() {
        keep(&TEST, vec![1u8; 4], 4);
        assert_eq!(take(&TEST), Some(vec![1u8; 4]));
        assert_eq!(take(&TEST), None, "taken once");
        keep(&TEST, Vec::new(), 0);
        assert_eq!(take(&TEST), None, "nothing to keep");
        keep(&TEST, vec![2u8], MAX_BYTES + 1);
        assert_eq!(take(&TEST), None, "too large");
    }

    #[test]
    fn a_frame_after_a_dropped_one_is_empty_in_its_buffers() {
        let mut f = Frame::new(32, Encoding::Gbk, Default::default());
        f.push_text(&"小票".repeat(200));
        let kept = f.all_text().len();
        drop(f);
        let g = Frame::new(32, Encoding::Gbk, Default::default());
        assert!(g.items().is_empty() && g.all_text().is_empty());
        assert!(g.text_capacity() >= kept, "the buffers were kept");
    }

    #[test]
    fn a_document_after_a_recycled_one_is_empty_in_its_buffers() {
        let mut b = Builder::new();
        b.run(
            &"小票".repeat(200),
            Style::PLAIN,
            Origin::Template,
            Default::default(),
        )
        .text_block(TextKind::Paragraph, Align::Left, Default::default());
        let doc = b.finish();
        let kept = doc.all_text().len();
        doc.recycle();
        let doc = Builder::with_capacity(&Default::default()).finish();
        assert!(doc.blocks.is_empty() && doc.all_text().is_empty());
        assert!(doc.text_capacity() >= kept, "the buffers were kept");
    }

    /// Renders on a thread after other renders there (longer, shorter, failed) give what a
    /// first render gives.
    #[test]
    fn renders_after_renders_are_first_renders() {
        let env = Environment::new();
        let src = "# 小票\n{% for it in items %}\n| {{ it.name }} | {{ it.qty }} |\n{% endfor %}\n备注：{{ note }}\n";
        let t = env.template_from_str("t.slip", src).unwrap();
        let data = |n: usize| {
            let items: Vec<_> = (0..n)
                .map(|i| serde_json::json!({"name": format!("菜{i}"), "qty": i}))
                .collect();
            serde_json::json!({"items": items, "note": "不要辣"})
        };
        let printers = ["K7", "feieyun-80", "escpos-58", "generic"];
        let first: Vec<String> = printers
            .iter()
            .map(|p| {
                let printer = Catalogue::builtin().printer(p).unwrap();
                std::thread::scope(|s| {
                    s.spawn(|| format!("{:?}", t.render_json(&data(300), &printer)))
                        .join()
                        .unwrap()
                })
            })
            .collect();
        for _ in 0..2 {
            for (p, first) in printers.iter().zip(&first) {
                let printer = Catalogue::builtin().printer(p).unwrap();
                let _ = t.render_json(&data(3), &printer);
                let _ = t.render_json(&serde_json::json!({}), &printer);
                let held = t.render_json(&data(1000), &printer);
                assert_eq!(&format!("{:?}", t.render_json(&data(300), &printer)), first);
                drop(held);
            }
        }
    }
}
