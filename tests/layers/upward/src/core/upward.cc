// Fixture for the layers check (not compiled): core includes a header of llm,
// a module above it, so cmake/check_layers.cmake must fail naming this line.
#include "llm/model.h"
