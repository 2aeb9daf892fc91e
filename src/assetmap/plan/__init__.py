"""The plan a person takes home: the chosen assets with when, where, how far and who to contact
(model.py), their area drawn without their home point (area.py, svgmap.py), as HTML for A4 or
Markdown for case notes (html.py, markdown.py)."""
