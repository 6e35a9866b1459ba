"""The workflows layer of rmr-gen (docs/architecture.md, "Layers").

Nothing is imported here, so that importing one module of the layer does not
load the others (``rmr-gen --help`` stays light)."""
