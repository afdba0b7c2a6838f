"""Entry points: the service's routes and auth, the command line, and the jobs that wire an adapter to
the engine. Nothing here computes pay or talks to a spreadsheet itself."""
