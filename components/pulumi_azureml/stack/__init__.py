"""The stacks: the stack-file schema, the environment profiles and the loader the program calls."""
