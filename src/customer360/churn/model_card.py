"""The model card (Markdown) written next to every model artifact."""

from __future__ import annotations

from typing import Any

from customer360.churn.labels import DROP_RATIO, NO_ACTIVITY_DAYS, OUTCOME_DAYS, PRIOR_DAYS
from customer360.churn.sentinel import MAX_MODEL_AUC, MAX_SINGLE_FEATURE_AUC


def _row(name: str, m: dict[str, Any] | None) -> str:
    if not m:
        return f"| {name} | n/a | n/a | | | | |"
    cells = [f"{m['roc_auc']:.3f}", f"{m['pr_auc']:.3f}"]
    cells += [f"{m[k]:.3f}" if k in m else "" for k in ("precision", "recall", "f1")]
    cells.append(f"{m['brier']:.4f}")
    return f"| {name} | " + " | ".join(cells) + " |"


def render(version: str, m: dict[str, Any]) -> str:
    plan, rows = m["plan"], m["rows"]
    lift = m["lift"]
    lines = [
        f"# Churn model card — `{version}`",
        "",
        "## Intended use",
        "Rank current card holders by the chance that they stop using the card or cut their "
        "spend by 30% or more over the next quarter, to target retention offers. Not for credit "
        "decisions.",
        "",
        "## Label",
        f"At a cutoff C, a customer **churns** when they have no approved transaction in "
        f"(C, C+{NO_ACTIVITY_DAYS}d], or their approved spend in (C, C+{OUTCOME_DAYS}d] is below "
        f"{DROP_RATIO:.0%} of their approved spend in (C-{PRIOR_DAYS}d, C]. **Eligible**: an "
        "approved transaction in (C-90d, C] and an account open at least 90 days at C.",
        "",
        "## Data window and split (time-based)",
        f"- History {m['data_start']} .. {m['as_of']} (as_of)",
        f"- Training cutoffs (month ends): {', '.join(str(c) for c in plan['train'])} — "
        f"{rows['train']:,} rows, churn rate {m['train_base_rate']:.1%}",
        f"- Validation cutoff (early stopping, calibration, threshold): {plan['validation']} — "
        f"{rows['validation']:,} rows, churn rate {m['validation_base_rate']:.1%}",
        f"- Test cutoff (latest with a complete 90-day outcome): {plan['test']} — "
        f"{rows['test']:,} rows, churn rate {m['test_base_rate']:.1%}",
        "- Every training and validation outcome window ends on or before the test cutoff.",
        "",
        "## Features",
        f"{len(m['features'])} features computed only from data on or before the cutoff by one "
        "SQL builder shared by training and scoring (`customer360.churn.features`): recency, "
        "counts and spend at 30/90/180/365 days, trends and 6-month slopes, category mix and "
        "breadth, declines, utilisation against the credit limit valid at the cutoff, card and "
        "limit changes, tenure, purchase gaps, weekday and channel mix, age. Never the persona, "
        "the oracle, the segment, the customer id or anything after the cutoff.",
        "",
        "## Test metrics",
        f"Threshold {m['threshold']:.3f} on the calibrated probability, chosen to maximise F1 on "
        f"the validation cutoff. Base rate {m['test_base_rate']:.1%}.",
        "",
        "| model | ROC-AUC | PR-AUC | precision | recall | F1 | Brier |",
        "|---|---|---|---|---|---|---|",
        _row("LightGBM (calibrated)", m["model"]),
        _row("logistic baseline", m["baseline"]),
        _row("oracle (true probability)", m["oracle"]),
        "",
        "The oracle row is the generator's own churn probability on the same test rows: the "
        "best any model could do on this synthetic world.",
        "",
        "## Lift by decile",
        "| decile | customers | churn rate | lift | churners captured |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {d['decile']} | {d['customers']:,} | {d['churn_rate']:.1%} | {d['lift']:.2f} | "
        f"{d['captured_pct']:.0f}% |"
        for d in lift
    ]
    shares = ", ".join(f"{k} {v:.1%}" for k, v in m["risk_category_shares"].items())
    sentinel = m["sentinel"]
    top = list(m["importance"].items())[:10]
    lines += [
        "",
        "## Risk categories on the test cutoff",
        f"High Risk ≥ 70, Medium Risk 40-69, Low Risk < 40 (score = probability × 100): {shares}.",
        "",
        "## Leakage sentinel",
        f"Test ROC-AUC {sentinel['model_auc']:.3f} (refuse ≥ {MAX_MODEL_AUC}); best single "
        f"feature `{sentinel['top_feature']}` AUC {sentinel['top_feature_auc']:.3f} (refuse ≥ "
        f"{MAX_SINGLE_FEATURE_AUC}). Overridden: {sentinel['overridden']}.",
        "",
        "## Top features (share of gain)",
        *[f"- `{name}` {share:.1%}" for name, share in top],
        "",
        "## Plots",
        "![ROC](plots/roc.png) ![PR](plots/pr.png) ![Calibration](plots/calibration.png)",
        "![Lift](plots/lift.png) ![Importance](plots/importance.png) ![Scores](plots/scores.png)",
        "",
        "## Limits",
        "Trained on a synthetic portfolio. Reason codes explain the model, not causes. Retrain "
        "monthly (`c360 train`, then `c360 score`).",
        "",
    ]
    return "\n".join(lines)
