"""The one owner of state: the ledger, the warehouse and the journal, and all their SQL.

Intake moves files; the pipeline decides; only this package reads or writes the database. Its
interface is storage-neutral (record received, claim, record a verdict and its load in one
transaction, status rows, pack inputs, lock and unlock), so a second backend can stand behind it.
"""
