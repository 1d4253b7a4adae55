//! Realistic receipts of any length for the benchmarks, and a counting allocator.
//!
//! [`receipt`] builds one takeaway receipt (title, order number, items with long names that
//! wrap, totals, a note that wraps, a QR code and a Code 128) with `items` dish lines, as a
//! slipmark template plus its data, and the same receipt as a ReceiptLine document (for the
//! side-by-side benchmark in `benches/peers/`). At 48 columns a receipt prints about 25 lines
//! plus one per item: 15 items give about 40 printed lines, 375 about 400, 3,975 about 4,000.

#![allow(dead_code)] // each bench uses part of this module

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

/// The slipmark template of the benchmark receipt.
pub const TEMPLATE: &str = r#"---
copies: 1
paper: 80mm
---
# {{ shop }}
-> 订单 #{{ no }} <-
下单时间 {{ time }}
--- 商品 ---
| 品名 | 数量 | 金额 |
|:-*-|:-4-:|--8-:|
{% for it in items %}
| {{ it.name }} | x{{ it.qty }} | {{ (it.price * it.qty) | money }} |
{% endfor %}
---
| 小计 | {{ subtotal | money }} |
| 配送费 | {{ fee | money }} |
| **实付** | **{{ total | money("¥") }}** |
备注：{{ note }}
![qr]({{ url }})
![code128]({{ code }})
-> 谢谢惠顾 <-
"#;

const NAMES: [&str; 6] = [
    "招牌羊肉串（微辣）",
    "秘制烤鸡翅中（蜂蜜味）加量不加价",
    "Coca-Cola Zero 330ml",
    "烤韭菜（不要辣）",
    "蒜蓉烤生蚝 6只装",
    "冰镇酸梅汤（大杯）",
];

/// One benchmark receipt with `items` dish lines.
pub struct Receipt {
    /// The data, as JSON.
    pub data: serde_json::Value,
    /// The same receipt as a ReceiptLine document.
    pub receiptline: String,
}

/// Builds the receipt with `items` dish lines.
pub fn receipt(items: usize) -> Receipt {
    let mut list = Vec::new();
    let mut cents = 0u64;
    let mut rl = String::from(
        "^^^老王烧烤（中关村店）\n订单 #MT20261128184210027\n下单时间 2026-11-28 18:42\n---\n{w:*,4,8}\n品名 | 数量 | 金额\n",
    );
    for i in 0..items {
        let name = NAMES[i % NAMES.len()];
        let qty = 1 + (i % 4) as u64;
        let price = 350 + (i as u64 * 137) % 4000;
        cents += qty * price;
        list.push(serde_json::json!({ "name": name, "qty": qty, "price": price as f64 / 100.0 }));
        rl.push_str(&format!(
            "{name} | x{qty} | {}.{:02}\n",
            qty * price / 100,
            qty * price % 100
        ));
    }
    let money = |c: u64| format!("{}.{:02}", c / 100, c % 100);
    let note = "不要香菜，多放孜然；到了打电话，放在门口的鞋柜上面就可以了，谢谢";
    let url = "https://slipmark.example/o/MT20261128184210027";
    rl.push_str(&format!(
        "{{w:auto}}\n---\n小计 | {}\n配送费 | 3.50\n\"实付\" | \"^¥{}\"\n备注：{note}\n{{c:{url};o:qrcode,4}}\n{{c:MT1128027;o:code128,2,72}}\n谢谢惠顾\n",
        money(cents),
        money(cents + 350)
    ));
    Receipt {
        data: serde_json::json!({
            "shop": "老王烧烤（中关村店）",
            "no": "MT20261128184210027",
            "code": "MT1128027",
            "time": "2026-11-28 18:42",
            "items": list,
            "subtotal": cents as f64 / 100.0,
            "fee": 3.5,
            "total": (cents + 350) as f64 / 100.0,
            "note": note,
            "url": url,
        }),
        receiptline: rl,
    }
}

/// The system allocator, counting allocations.
pub struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations (and reallocations) made by `f`.
pub fn allocations<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let out = f();
    (out, ALLOCATIONS.load(Ordering::Relaxed) - before)
}
