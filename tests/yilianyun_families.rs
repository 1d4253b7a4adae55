//! Every family prints the takeaway receipt: only its own tags, control tags first, and a paper
//! (simulated independently from the content) identical to the frame. Snapshots show the
//! content and the simulated paper for each family.

mod common;

use slipmark::Span;
use slipmark::Spanned;
use slipmark::backend::yilianyun::lower;
use slipmark::backend::{Catalogue, DialectName};
use slipmark::document::JobSettings;

use common::{check_content, paper, takeaway};

#[test]
fn every_family_prints_the_takeaway_receipt() {
    let cat = Catalogue::builtin();
    for model in cat
        .models()
        .iter()
        .filter(|m| m.dialect == DialectName::Yilianyun)
    {
        let settings = JobSettings {
            copies: Some(Spanned::new(2, Span::new(0, 4, 12))),
            ..JobSettings::default()
        };
        let frame = takeaway(model.paper.default_columns, settings);
        let lowered = lower(&frame, model).unwrap_or_else(|e| panic!("{}: {e}", model.id));
        assert!(lowered.content.starts_with("<MN>2</MN>"), "{}", model.id);
        assert!(lowered.warnings.is_empty());
        let paper = check_content(&frame, model, &lowered.content);
        insta::assert_snapshot!(
            format!("takeaway_{}", model.id),
            format!(
                "{}\n----- content -----\n{}\n----- paper (simulated) -----\n{}",
                model.name,
                lowered.content,
                paper::render(&paper)
            )
        );
    }
}

#[test]
fn the_paper_flag_changes_the_width_where_the_model_can_print_it() {
    let cat = Catalogue::builtin();
    let k5 = cat.resolve("k5").unwrap();
    let frame = takeaway(48, JobSettings::default());
    let lowered = lower(&frame, k5).unwrap();
    assert!(lowered.content.starts_with("<PW>072</PW>"));
    assert_eq!(lowered.settings.print_width_mm, Some(72));
    check_content(&frame, k5, &lowered.content);
    let k7 = cat.resolve("k7").unwrap();
    let frame = takeaway(32, JobSettings::default());
    check_content(&frame, k7, &lower(&frame, k7).unwrap().content);
    let k4 = cat.resolve("k4").unwrap();
    let err = lower(&takeaway(48, JobSettings::default()), k4).unwrap_err();
    assert_eq!(
        err.message(),
        "the paper is 48 columns; the K4 (old firmware) prints at most 32"
    );
}
