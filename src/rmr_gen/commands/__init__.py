"""The ``rmr-gen`` commands, registered on :data:`rmr_gen.cli.app` when imported."""
