// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace run of the xen-netback credit's KUnit suite.
 *
 * drivers/net/xen-netback/credit.c and credit_kunit.c are compiled
 * unchanged against the stub headers in ./linux and ./kunit, under ASan
 * and UBSan.  Prints one line per case (parameterised cases count each
 * parameter), then "N passed, N failed"; the exit status is non-zero on
 * any failure.
 */
#include <kunit/test.h>

/* A case of its own: setjmp's frame holds nothing the caller keeps. */
static int run_one(const struct kunit_case *c, const void *param)
{
	struct kunit test = { 0 };
	int i;

	test.param_value = param;
	if (!setjmp(test.bail))
		c->run_case(&test);
	for (i = 0; i < test.nallocs; i++)
		free(test.allocs[i]);
	return test.failed;
}

int main(void)
{
	struct kunit_case *c;
	int passed = 0, failed = 0;

	for (c = harness_suite->test_cases; c->run_case; c++) {
		char desc[KUNIT_PARAM_DESC_SIZE];
		const void *param = NULL;

		do {
			int bad;

			desc[0] = '\0';
			if (c->generate_params) {
				param = c->generate_params(param, desc);
				if (!param)
					break;
			}
			bad = run_one(c, param);
			printf("%s %s%s%s\n", bad ? "not ok" : "ok",
			       c->name, desc[0] ? " " : "", desc);
			if (bad)
				failed++;
			else
				passed++;
		} while (c->generate_params);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
