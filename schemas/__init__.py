"""`schemas/`, installed as the data package `council_schemas` (found with importlib.resources; no code here)."""
