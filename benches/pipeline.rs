//! Criterion benchmarks of each pipeline stage on a generated 3,000-word
//! essay with the built-in rubric, plus rubric compilation and matching
//! against rubrics of ~100 and ~2,000 phrases. Run: `cargo bench`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use essaymark::corpus::essays;
use essaymark::ingest::{extract, Format, Limits};
use essaymark::report::{JsonRenderer, Renderer, Report, SummaryBuilder, TextRenderer};
use essaymark::rubric::{load_str, Rubric, BUILTIN_YAML};
use essaymark::scoring::grade;
use std::hint::black_box;

/// The allocator the binary uses, so stage times add up to what the CLI does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn essay() -> String {
    essays(42, 1, 3000).remove(0)
}

fn stages(c: &mut Criterion) {
    let text = essay();
    let rubric = Rubric::builtin();
    let limits = Limits::default();
    let mut g = c.benchmark_group("stage");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("ingest", |b| {
        b.iter(|| extract(Format::Text, black_box(text.as_bytes()), &limits).unwrap())
    });
    let extracted = extract(Format::Text, text.as_bytes(), &limits).unwrap();
    g.bench_function("segment", |b| {
        b.iter(|| black_box(extracted.clone()).into_document())
    });
    let doc = extracted.clone().into_document();
    g.bench_function("match", |b| b.iter(|| rubric.phrases.scan(black_box(&doc))));
    g.bench_function("score", |b| b.iter(|| grade(&rubric, black_box(&doc))));
    let graded = grade(&rubric, &doc);
    let report = Report::new(
        "essay.txt",
        Format::Text,
        Vec::new(),
        &rubric,
        &doc,
        &graded,
    );
    g.bench_function("report", |b| {
        b.iter(|| {
            Report::new(
                "essay.txt",
                Format::Text,
                Vec::new(),
                &rubric,
                black_box(&doc),
                &graded,
            )
        })
    });
    let summary = SummaryBuilder::new(Vec::new()).build();
    g.bench_function("render-text", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(8192);
            let mut r = TextRenderer::default();
            r.essay(&mut out, black_box(&report)).unwrap();
            r.finish(&mut out, &summary).unwrap();
            out
        })
    });
    g.bench_function("render-json", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(8192);
            let mut r = JsonRenderer::default();
            r.start(&mut out).unwrap();
            r.essay(&mut out, black_box(&report)).unwrap();
            r.finish(&mut out, &summary).unwrap();
            out
        })
    });
    g.bench_function("whole-essay", |b| {
        b.iter(|| {
            let doc = extract(Format::Text, black_box(text.as_bytes()), &limits)
                .unwrap()
                .into_document();
            let graded = grade(&rubric, &doc);
            Report::new(
                "essay.txt",
                Format::Text,
                Vec::new(),
                &rubric,
                &doc,
                &graded,
            )
        })
    });
    g.finish();
    c.bench_function("compile-builtin-rubric", |b| {
        b.iter(|| load_str(black_box(BUILTIN_YAML), "builtin").unwrap())
    });
}

/// A rubric of `criteria` theme criteria of 20 phrases each (multi-word,
/// wildcards and capitalised names mixed), deterministic.
pub fn synthetic_rubric(criteria: usize) -> String {
    let words = [
        "border",
        "security",
        "trade",
        "militant",
        "refugee",
        "corridor",
        "province",
        "taliban",
        "pipeline",
        "regional",
        "economic",
        "strategic",
        "deterrence",
        "dialogue",
        "sanctuary",
        "insurgency",
        "frontier",
        "Khorasan",
        "Durand",
        "Torkham",
        "Gwadar",
        "Balochistan",
        "investment",
        "narcotics",
        "smuggling",
    ];
    let mut y = String::from(
        "id: synthetic\ntitle: Synthetic\nsections:\n  - id: s\n    title: S\n    criteria:\n",
    );
    let mut k = 0usize;
    for c in 0..criteria {
        y.push_str(&format!(
            "      - id: c{c}\n        points: 1\n        match:\n"
        ));
        for p in 0..20 {
            k += 1;
            let a = words[(k * 7 + p) % words.len()];
            let b = words[(k * 13 + c) % words.len()];
            let phrase = match p % 4 {
                0 => format!("{a} {b} x{k}"),
                1 => format!("{a}{k}*"),
                2 => format!("{a} q{k}"),
                _ => format!("z{k} {b}"),
            };
            y.push_str(&format!("          - \"{phrase}\"\n"));
        }
    }
    y
}

fn rubric_size(c: &mut Criterion) {
    let text = essay();
    let doc = extract(Format::Text, text.as_bytes(), &Limits::default())
        .unwrap()
        .into_document();
    let mut g = c.benchmark_group("match-by-rubric-size");
    g.throughput(Throughput::Bytes(text.len() as u64));
    for criteria in [5usize, 25, 50, 100] {
        let rubric = load_str(&synthetic_rubric(criteria), "synthetic").unwrap();
        let phrases = rubric.phrases.phrase_count();
        g.bench_with_input(BenchmarkId::new("scan", phrases), &rubric, |b, r| {
            b.iter(|| r.phrases.scan(black_box(&doc)))
        });
        g.bench_with_input(BenchmarkId::new("grade", phrases), &rubric, |b, r| {
            b.iter(|| grade(r, black_box(&doc)))
        });
    }
    g.finish();
}

criterion_group!(benches, stages, rubric_size);
criterion_main!(benches);
