"""stridewise: run your way to better bone, brain and long-term health, safely.

Not a medical device. It screens, plans and monitors from published evidence and always says
when to see a doctor; it never diagnoses.
"""

__version__ = "0.1.0"
