import pytest
from pydantic import BaseModel, ValidationError, field_validator

from rehab_coach.errors import first_problem


class _Dose(BaseModel):
    sets: int
    reps: int

    @field_validator("reps")
    @classmethod
    def _some(cls, value: int) -> int:
        if value < 1:
            raise ValueError("at least one rep")
        return value


class _Program(BaseModel):
    items: list[_Dose]


def _error(data: object, model: type[BaseModel] = _Program) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return info.value


def test_the_first_problem_names_the_field_as_a_dotted_path():
    assert first_problem(_error({"items": [{"sets": 3, "reps": 5}, {"sets": "x", "reps": 5}]})) == (
        "items.1.sets",
        "Input should be a valid integer, unable to parse string as an integer",
    )


def test_our_own_check_reads_without_pydantics_prefix():
    assert first_problem(_error({"items": [{"sets": 3, "reps": 0}]})) == ("items.0.reps", "at least one rep")


def test_a_problem_with_the_whole_thing_is_named_as_the_caller_says():
    assert first_problem(_error(["not", "a", "mapping"]), "the file")[0] == "the file"
    assert first_problem(_error(["not", "a", "mapping"]))[0] == ""
