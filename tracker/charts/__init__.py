"""Chart data and figures for the Charts view and the PDF report.

`tracker.charts.data` is plain Python (no matplotlib) and safe to import anywhere;
`tracker.charts.figures` imports matplotlib, so import it only where a chart is drawn.
"""

from tracker.charts.data import (
    TrajectoryData,
    describe_trajectory,
    trajectory_data,
)

__all__ = ["TrajectoryData", "describe_trajectory", "trajectory_data"]
