#include "tasks/traceback.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

const char kPandasKeyError[] = R"(loading data
Traceback (most recent call last):
  File "/ws/ep1/train.py", line 21, in <module>
    main()
  File "/ws/ep1/train.py", line 14, in main
    X = train[FEATURES]
        ~~~~~^^^^^^^^^^
  File "/usr/lib/python3/dist-packages/pandas/core/frame.py", line 3813, in __getitem__
    indexer = self.columns._get_indexer_strict(key, "columns")[1]
              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3/dist-packages/pandas/core/indexes/base.py", line 6133, in _raise_if_missing
    raise KeyError(f"{not_found} not in index")
KeyError: "['petal_lenght'] not in index"
)";

TEST(TracebackTest, FindsTheInnermostWorkspaceFrame) {
  Traceback tb = ParsePythonTraceback(kPandasKeyError, "/ws/ep1");
  ASSERT_TRUE(tb.found);
  EXPECT_EQ(tb.type, "KeyError");
  EXPECT_EQ(tb.message, "\"['petal_lenght'] not in index\"");
  ASSERT_EQ(tb.frames.size(), 4u);
  EXPECT_EQ(tb.where.file, "train.py");
  EXPECT_EQ(tb.where.line, 14);
  EXPECT_EQ(tb.where.function, "main");
  EXPECT_EQ(tb.where.source, "X = train[FEATURES]");
  EXPECT_TRUE(tb.where.in_workspace);
  EXPECT_EQ(tb.Summary(),
            "KeyError: \"['petal_lenght'] not in index\" at train.py:14 in main: "
            "`X = train[FEATURES]`");
  EXPECT_EQ(tb.ToJson()["line"], 14);
}

TEST(TracebackTest, TakesTheLastOfChainedTracebacks) {
  std::string out =
      "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    x()\n"
      "NameError: name 'x' is not defined\n\n"
      "During handling of the above exception, another exception occurred:\n\n"
      "Traceback (most recent call last):\n  File \"b.py\", line 2, in <module>\n    y = 1 / 0\n"
      "ZeroDivisionError: division by zero\n";
  Traceback tb = ParsePythonTraceback(out, "/ws");
  EXPECT_EQ(tb.type, "ZeroDivisionError");
  EXPECT_EQ(tb.where.file, "b.py");
  EXPECT_EQ(tb.where.source, "y = 1 / 0");
}

TEST(TracebackTest, ModuleQualifiedTypesAndNoMessage) {
  Traceback tb = ParsePythonTraceback(
      "Traceback (most recent call last):\n  File \"/ws/t.py\", line 3, in <module>\n"
      "    raise np.linalg.LinAlgError\nnumpy.linalg.LinAlgError\n",
      "/ws");
  EXPECT_EQ(tb.type, "numpy.linalg.LinAlgError");
  EXPECT_EQ(tb.message, "");
  EXPECT_EQ(tb.Summary(),
            "numpy.linalg.LinAlgError at t.py:3 in <module>: `raise np.linalg.LinAlgError`");
}

TEST(TracebackTest, NoTraceback) {
  EXPECT_FALSE(ParsePythonTraceback("all good\naccuracy 0.9\n", "/ws").found);
  EXPECT_TRUE(ParsePythonTraceback("", "/ws").Summary().empty());
}

}  // namespace
}  // namespace ctxbench
