// Fixture for the layers check (not compiled): llm sits above core.
#pragma once
