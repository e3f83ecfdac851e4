"""The dashboard: one page under /__admin/ui/ that shows, live, what an application sent.

The page holds no data: its scripts read and change everything through the documented
control-plane routes (contracts/admin-openapi.yaml), as any client of /__admin would.
"""
