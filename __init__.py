"""CZT planner: make the Changsha-Zhuzhou-Xiangtan integration plans checkable on a map."""

__version__ = "0.1.0"
