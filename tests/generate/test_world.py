from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
from pathlib import Path

import duckdb
import pytest

from customer360.config import Settings
from customer360.errors import UsageError
from customer360.generate import GenerateOptions, generate_world
from customer360.generate.reference import GROUPS, categories, places

from .conftest import AS_OF, landing_files


def _read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    text = gzip.decompress(raw).decode() if path.name.endswith(".gz") else raw.decode()
    return list(csv.reader(io.StringIO(text)))


def _good_rows(settings: Settings, entity: str) -> list[dict[str, str]]:
    """Rows of an entity without the lines listed as quarantine defects in the oracle."""
    bad = {
        (r["file"], int(r["line"]))
        for r in csv.DictReader((settings.oracle_dir / "defects.csv").open())
        if r["expect"] == "quarantine"
    }
    out = []
    for path in landing_files(settings, entity):
        rel = f"landing/{entity}/{path.name}"
        rows = _read(path)
        header = rows[0]
        for line, row in enumerate(rows[1:], start=2):
            if (rel, line) not in bad:
                out.append(dict(zip(header, [v.strip() for v in row], strict=True)))
    return out


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".duckdb")
    }


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    options = GenerateOptions(customers=300, transactions_per_customer=60, increments=2)
    generate_world(options, Settings(tmp_path / "a"))
    generate_world(options, Settings(tmp_path / "b"))
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a.keys() == b.keys()
    assert a == b


def test_different_seed_gives_different_transactions(tmp_path: Path) -> None:
    generate_world(
        GenerateOptions(customers=200, transactions_per_customer=50), Settings(tmp_path / "a")
    )
    generate_world(
        GenerateOptions(customers=200, transactions_per_customer=50, seed=7),
        Settings(tmp_path / "b"),
    )
    assert _tree(tmp_path / "a") != _tree(tmp_path / "b")


def test_no_transaction_after_as_of_or_before_account_open(small_world) -> None:
    settings, _ = small_world
    opened = {r["customer_id"]: r["account_open_date"] for r in _good_rows(settings, "customers")}
    for row in _good_rows(settings, "transactions"):
        day = row["transaction_ts"][:10]
        assert day <= AS_OF.isoformat()
        assert day >= opened[row["customer_id"]]
    assert max(opened.values()) <= AS_OF.isoformat()


def test_ids_have_the_contract_format_and_are_unique_across_batches(small_world) -> None:
    settings, _ = small_world
    for entity, column, pattern in (
        ("customers", "customer_id", r"CUST\d{8}"),
        ("customer_changes", "change_id", r"CHG\d{10}"),
        ("transactions", "transaction_id", r"TXN\d{12}"),
    ):
        ids = [r[column] for r in _good_rows(settings, entity)]
        assert all(re.fullmatch(pattern, i) for i in ids)
        assert len(ids) == len(set(ids))


def test_every_city_belongs_to_its_state(small_world) -> None:
    settings, _ = small_world
    ref = places()
    valid = {(ref.state[s], c) for c, s in zip(ref.city, ref.city_state, strict=True)}
    rows = _good_rows(settings, "customers")
    assert {r["state"].upper() for r in rows} <= set(ref.state)
    assert all(
        (r["state"].upper(), r["city"].lower()) in {(s, c.lower()) for s, c in valid} for r in rows
    )


def test_categories_match_the_reference_list_and_its_five_groups() -> None:
    cats = categories()
    assert 45 <= len(cats.name) <= 60
    assert len(set(cats.name)) == len(cats.name)
    assert set(cats.group.tolist()) == set(range(len(GROUPS)))
    assert all(re.fullmatch(r"\d{4}", m) for m in cats.mcc)
    assert all(cats.merchant_count >= 3)


def test_transactions_use_reference_categories_and_about_97_percent_are_approved(
    small_world,
) -> None:
    settings, _ = small_world
    rows = _good_rows(settings, "transactions")
    names = {n.lower() for n in categories().name}
    assert {r["merchant_category"].lower() for r in rows} <= names
    approved = sum(r["status"].lower() == "approved" for r in rows) / len(rows)
    assert 0.95 <= approved <= 0.985


def test_increments_are_daily_batches_of_the_last_days(small_world) -> None:
    settings, _ = small_world
    names = [p.name for p in landing_files(settings, "transactions")]
    dailies = sorted({n.split(".")[0] for n in names if not n.startswith("0000-")})
    assert dailies == ["0001-2026-06-28", "0002-2026-06-29", "0003-2026-06-30"]
    assert any(n.startswith("0000-history.part-001") for n in names)
    for path in landing_files(settings, "transactions"):
        if path.name.startswith("0003-"):
            days = {r[2][:10] for r in _read(path)[1:] if len(r) > 2}
            assert "2026-06-30" in days


def test_defects_are_counted_and_listed_line_by_line(small_world) -> None:
    settings, summary = small_world
    listed = list(csv.DictReader((settings.oracle_dir / "defects.csv").open()))
    assert len(listed) == sum(summary.defects.values()) > 0
    assert {"duplicate_row", "null_required", "malformed_date", "garbage_line"} <= set(
        summary.defects
    )
    for row in listed[:200]:
        lines = _read(settings.data_dir / row["file"])
        assert 2 <= int(row["line"]) <= len(lines)


def test_zero_defect_rate_gives_a_perfectly_clean_file(clean_world) -> None:
    settings, summary = clean_world
    assert summary.defects == {}
    con = duckdb.connect()
    for path in landing_files(settings, "transactions"):
        rows = _read(path)
        assert all(len(r) == 9 for r in rows)
        assert all(v == v.strip() and v for r in rows for v in r)
    bad = con.execute(
        "select count(*) from read_csv(?, all_varchar = true) "
        "where try_cast(amount as decimal(12, 2)) is null or amount::decimal(12, 2) <= 0 "
        "or try_cast(transaction_ts as timestamp) is null "
        "or status not in ('approved', 'declined')",
        [[str(p) for p in landing_files(settings, "transactions")]],
    ).fetchone()[0]
    assert bad == 0


def test_hidden_personas_are_only_in_the_oracle(small_world) -> None:
    settings, _ = small_world
    header = _read(landing_files(settings, "customers")[0])[0]
    assert "persona" not in header
    truth = _read(settings.oracle_dir / "customers.csv.gz")
    shares: dict[str, int] = {}
    for row in truth[1:]:
        shares[row[1]] = shares.get(row[1], 0) + 1
    assert len(shares) == 5
    assert all(0.04 < v / (len(truth) - 1) < 0.6 for v in shares.values())


def test_churn_probabilities_are_probabilities_from_month_six(small_world) -> None:
    settings, _ = small_world
    rows = _read(settings.oracle_dir / "churn_probability.csv.gz")
    assert rows[0] == ["customer_id", "cutoff_date", "true_churn_probability"]
    assert all(0.0 <= float(r[2]) <= 1.0 for r in rows[1:])
    first = min(r[1] for r in rows[1:])
    start = AS_OF - dt.timedelta(days=579)
    assert dt.date.fromisoformat(first) >= start + dt.timedelta(days=140)


def test_regenerating_replaces_the_previous_output(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    generate_world(
        GenerateOptions(customers=100, transactions_per_customer=20, increments=2), settings
    )
    generate_world(GenerateOptions(customers=100, transactions_per_customer=20), settings)
    names = [p.name for p in landing_files(settings, "transactions")]
    assert all(n.startswith("0000-history") for n in names)
    assert not (tmp_path / ".generate-staging").exists()


@pytest.mark.parametrize(
    ("options", "option_name"),
    [
        (GenerateOptions(customers=0), "--customers"),
        (GenerateOptions(defect_rate=-0.1), "--defect-rate"),
        (GenerateOptions(format="xlsx"), "--format"),
        (GenerateOptions(days=30), "--days"),
        (GenerateOptions(increments=10_000), "--increments"),
        (GenerateOptions(transactions_per_customer=0), "--transactions-per-customer"),
    ],
)
def test_invalid_options_raise_one_line_usage_error(options, option_name, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as err:
        generate_world(options, Settings(tmp_path))
    assert option_name in str(err.value)
    assert "\n" not in str(err.value)


def test_every_segment_is_reachable_from_behaviour_alone(small_world) -> None:
    settings, _ = small_world
    from customer360.generate import segment_shares

    shares = segment_shares(settings.landing_dir, AS_OF)
    assert set(shares) == {
        "High-Value Travelers",
        "Declining",
        "New & Growing",
        "Budget-Conscious",
        "Stable Mid-Spenders",
    }
    assert all(0.03 <= s <= 0.65 for s in shares.values())
