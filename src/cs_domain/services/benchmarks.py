"""Benchmark case commands (seed 001 §二.6): nominate (one case per customer), the pipeline
steps, drop, record recognition and the measured outcome."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.benchmark import BenchmarkCase
from cs_domain.errors import DuplicateKey
from cs_domain.services.customers import CustomerCommands


class BenchmarkCommands(CustomerCommands):
    def nominate_benchmark_case(self, *, actor: str, customer_id: UUID, title: str, on: date
                                ) -> CommandResult:
        case = BenchmarkCase.nominate(actor=actor, customer_id=customer_id, title=title, on=on)
        self.check_customer(customer_id)
        if self.exists(case.id):
            raise DuplicateKey("customer_id", str(customer_id))
        return self.result(case, self.commit(case))

    def advance_benchmark_case(self, *, actor: str, case_id: UUID, step: str, on: date,
                               note: str | None = None, expected_version: int | None = None
                               ) -> CommandResult:
        case = self.load(BenchmarkCase, case_id, expected_version)
        case.advance(actor=actor, step=step, on=on, note=note)
        return self.result(case, self.commit(case))

    def drop_benchmark_case(self, *, actor: str, case_id: UUID, reason: str, on: date,
                            expected_version: int | None = None) -> CommandResult:
        case = self.load(BenchmarkCase, case_id, expected_version)
        case.drop(actor=actor, reason=reason, on=on)
        return self.result(case, self.commit(case))

    def record_benchmark_recognition(self, *, actor: str, case_id: UUID, industry_known: bool,
                                     note: str, on: date, expected_version: int | None = None
                                     ) -> CommandResult:
        case = self.load(BenchmarkCase, case_id, expected_version)
        case.record_recognition(actor=actor, industry_known=industry_known, note=note, on=on)
        return self.result(case, self.commit(case))

    def record_benchmark_outcome(self, *, actor: str, case_id: UUID, note: str,
                                 measured_on: date, cost_down_pct: Decimal | None = None,
                                 growth_pct: Decimal | None = None,
                                 expected_version: int | None = None) -> CommandResult:
        case = self.load(BenchmarkCase, case_id, expected_version)
        case.record_outcome(actor=actor, note=note, measured_on=measured_on,
                            cost_down_pct=cost_down_pct, growth_pct=growth_pct)
        return self.result(case, self.commit(case))
