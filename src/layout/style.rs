//! Degrading styles a printer model lacks to the nearest one it has.
//!
//! Each axis is degraded on its own: ×2 falls back to ×1.33 where the model has it, and a scale
//! the model cannot print at all becomes normal size with **bold** as the emphasis that is left
//! (`.large` → bold, as the language promises). Bold on a model without bold is dropped. Every
//! change is reported; nothing is dropped silently and no unsupported tag is ever emitted.

use crate::document::{Scale, Style};
use crate::frame::StyleSupport;

/// The style to print instead of `style` on a model with `support`; equal to `style` when the
/// model has it.
#[inline]
pub fn degrade(style: Style, support: StyleSupport) -> Style {
    // Plain text is printed by every model (normal size stays normal, no bold is added).
    if style == Style::PLAIN {
        return style;
    }
    let mut emphasis = false;
    let mut axis = |scale: Scale, has_x4_3: bool, has_x2: bool| match scale {
        Scale::X1 => Scale::X1,
        Scale::X4_3 if has_x4_3 => Scale::X4_3,
        Scale::X2 if has_x2 => Scale::X2,
        Scale::X2 if has_x4_3 => Scale::X4_3,
        Scale::X4_3 | Scale::X2 => {
            emphasis = true;
            Scale::X1
        }
    };
    let width = axis(style.width, support.wide, support.wide2);
    let height = axis(style.height, support.tall, support.tall2);
    Style {
        bold: (style.bold || emphasis) && support.bold,
        width,
        height,
    }
}

/// A short description of a style, for messages: `plain`, `bold`, `×2`, `×1.33 width, bold` …
pub fn describe(style: Style) -> String {
    fn scale(s: Scale) -> &'static str {
        match s {
            Scale::X1 => "×1",
            Scale::X4_3 => "×1.33",
            Scale::X2 => "×2",
        }
    }
    let mut parts: Vec<String> = Vec::new();
    if style.width == style.height {
        if style.width != Scale::X1 {
            parts.push(scale(style.width).to_string());
        }
    } else {
        if style.width != Scale::X1 {
            parts.push(format!("{} width", scale(style.width)));
        }
        if style.height != Scale::X1 {
            parts.push(format!("{} height", scale(style.height)));
        }
    }
    if style.bold {
        parts.push("bold".to_string());
    }
    if parts.is_empty() {
        "plain".to_string()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(bold: bool, width: Scale, height: Scale) -> Style {
        Style {
            bold,
            width,
            height,
        }
    }

    const NONE: StyleSupport = StyleSupport {
        bold: false,
        wide: false,
        wide2: false,
        tall: false,
        tall2: false,
    };

    #[test]
    fn supported_styles_are_kept() {
        for s in [
            st(false, Scale::X1, Scale::X1),
            st(true, Scale::X2, Scale::X2),
            st(false, Scale::X4_3, Scale::X2),
        ] {
            assert_eq!(degrade(s, StyleSupport::ALL), s);
        }
    }

    #[test]
    fn large_becomes_bold_without_x4_3() {
        let only_bold_and_x2 = StyleSupport {
            wide: false,
            tall: false,
            ..StyleSupport::ALL
        };
        let large = st(false, Scale::X4_3, Scale::X4_3);
        assert_eq!(
            degrade(large, only_bold_and_x2),
            st(true, Scale::X1, Scale::X1)
        );
        assert_eq!(describe(large), "×1.33");
        assert_eq!(describe(st(true, Scale::X1, Scale::X1)), "bold");
    }

    #[test]
    fn x2_falls_back_to_x4_3_then_to_bold() {
        let no_x2 = StyleSupport {
            wide2: false,
            tall2: false,
            ..StyleSupport::ALL
        };
        let big = st(false, Scale::X2, Scale::X2);
        assert_eq!(degrade(big, no_x2), st(false, Scale::X4_3, Scale::X4_3));
        let bold_only = StyleSupport { bold: true, ..NONE };
        assert_eq!(degrade(big, bold_only), st(true, Scale::X1, Scale::X1));
        // only the missing axis degrades
        let no_tall2 = StyleSupport {
            tall2: false,
            tall: false,
            ..StyleSupport::ALL
        };
        assert_eq!(degrade(big, no_tall2), st(true, Scale::X2, Scale::X1));
        assert_eq!(describe(st(true, Scale::X2, Scale::X1)), "×2 width, bold");
    }

    #[test]
    fn bold_is_dropped_where_the_model_has_none() {
        assert_eq!(
            degrade(st(true, Scale::X2, Scale::X2), NONE),
            st(false, Scale::X1, Scale::X1)
        );
        assert_eq!(describe(Style::PLAIN), "plain");
    }
}
