from pathlib import Path

from _helper import SCALE

numbers = [float(x) for x in (Path(__file__).parent.parent / "data" / "numbers.txt").read_text().split()]
total = sum(numbers) * SCALE
