"""Charts carry their words in PNG and SVG: the package ships its font and gives it to vl-convert."""

import io

import numpy as np
from PIL import Image

from citizenfocus.performance import charts

ROWS = [{"label": "Vehicle crime", "diff": 0.031, "ci_low": 0.012, "ci_high": 0.05, "verdict": "x"},
        {"label": "Burglary", "diff": -0.004, "ci_low": -0.02, "ci_high": 0.012, "verdict": "y"}]


def _pixels(spec) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(charts.render(spec, "png"))).convert("L"), dtype=int)


def _dark_rows(image: np.ndarray, top: int, bottom: int) -> int:
    return int((image[top:bottom] < 128).any(axis=1).sum())


def test_the_title_is_drawn_in_the_png():
    with_title = _pixels(charts.gap_chart(ROWS, title="White minus BME, by crime type"))
    without = _pixels(charts.gap_chart(ROWS, title=""))
    # the title sits above the plot: with it the picture is taller, and its top band has dark (text) pixels
    height = with_title.shape[0] - without.shape[0]
    assert height > 20
    assert _dark_rows(with_title, 0, height) > 10
    assert _dark_rows(without, 0, 4) == 0


def test_the_axis_title_and_tick_labels_are_drawn_in_the_png():
    spec = charts.gap_chart(ROWS, title="Gap")
    bare = charts.gap_chart(ROWS, title="Gap")
    for layer in bare["layer"]:
        axis = layer["encoding"].get("x", {}).get("axis")
        if axis:
            axis.update({"title": None, "labels": False})
    drawn, plain = _pixels(spec), _pixels(bare)
    assert drawn.shape[0] - plain.shape[0] > 20  # the axis title and labels take room below the plot
    assert _dark_rows(drawn, plain.shape[0] - 10, drawn.shape[0]) > 10


def test_the_svg_names_the_shipped_font_and_carries_the_text():
    svg = charts.render(charts.gap_chart(ROWS, title="White minus BME, by crime type"), "svg").decode()
    assert "White minus BME, by crime type" in svg
    assert charts.FONT in svg
    assert (charts.FONT_DIRECTORY / "DejaVuSans.ttf").exists()


def test_the_gap_axis_says_points_and_each_tick_once():
    spec = charts.gap_chart(ROWS, title="White minus BME")
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert "White minus BME" in axis["title"] and "points" in axis["title"]
    svg = charts.render(spec, "svg").decode()
    import re

    ticks = re.findall(r">([+−-]?\d+)</text>", svg)
    assert ticks and len(ticks) == len(set(ticks)), ticks


def test_the_peers_legend_names_the_forces_roles():
    rows = [{"force": "Northvale", "rate": 0.8, "n": 900, "ci_low": 0.77, "ci_high": 0.83, "role": "This force"},
            {"force": "Eastmarsh", "rate": 0.78, "n": 800, "ci_low": 0.75, "ci_high": 0.81,
             "role": "Most similar force"}]
    svg = charts.render(charts.peers_chart(rows, title="Peers"), "svg").decode()
    assert "Most similar force" in svg and ">true<" not in svg and "Own force" not in svg


def test_the_gap_axis_reads_for_every_measure_not_only_satisfaction():
    """A gap chart shows confidence, perception and "neither" measures too (higher-worse among them): above 0
    is a higher rate for white users, which is "BME users less satisfied" only for a satisfaction measure."""
    spec = charts.gap_chart(ROWS, title="White minus BME, by measure")
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert "above 0: the rate is higher for white users" in axis["title"]
    assert "satisfied" not in axis["title"] and "satisfied" not in spec["description"]
