/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <kunit/test.h>: just what credit_kunit.c uses, so
 * that the harness runs the KUnit suite itself, under ASan and UBSan.  An
 * expectation that fails prints its expression and values and marks the
 * case failed; an assertion also ends the case (longjmp).
 */
#ifndef _HARNESS_KUNIT_TEST_H
#define _HARNESS_KUNIT_TEST_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <linux/compiler.h>

#define KUNIT_PARAM_DESC_SIZE	128
#define GFP_KERNEL		0
#define MODULE_DESCRIPTION(x)
#define MODULE_LICENSE(x)
#define IS_ENABLED(option)	0	/* no Kconfig here */
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))	/* linux/kernel.h */

struct kunit {
	const void *param_value;
	int failed;
	jmp_buf bail;
	void *allocs[16];
	int nallocs;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(f)		{ .run_case = f, .name = #f }
#define KUNIT_CASE_PARAM(f, g)	{ .run_case = f, .name = #f, .generate_params = g }

#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof((array)[0]) *__next = prev ?			\
			((typeof(__next))prev) + 1 : (array);		\
		if (__next - (array) < (long)(sizeof(array) / sizeof((array)[0]))) { \
			get_desc(__next, desc);				\
			return __next;					\
		}							\
		return NULL;						\
	}

extern struct kunit_suite *harness_suite;
#define kunit_test_suite(s)	struct kunit_suite *harness_suite = &(s)

static inline void *kunit_kzalloc(struct kunit *test, size_t size, int gfp)
{
	void *p = calloc(1, size);

	(void)gfp;
	if (p && test->nallocs < 16)
		test->allocs[test->nallocs++] = p;
	return p;
}

#define __KH_FAIL(test, assert, fmt, ...) do {				\
	printf("    %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__); \
	(test)->failed = 1;						\
	if (assert)							\
		longjmp((test)->bail, 1);				\
} while (0)

/* Each side is evaluated once, as in KUnit: they may have side effects. */
#define __KH_CMP(test, assert, a, op, b, ...) do {			\
	typeof((a) + (b)) __x = (a), __y = (b);				\
	if (!(__x op __y)) {						\
		printf("    %s:%d: expected %s %s %s: %lld (%llu) vs %lld (%llu)\n", \
		       __FILE__, __LINE__, #a, #op, #b, (long long)__x,	\
		       (unsigned long long)__x, (long long)__y,	\
		       (unsigned long long)__y);			\
		__VA_OPT__(printf("      "); printf(__VA_ARGS__); printf("\n");) \
		(test)->failed = 1;					\
		if (assert)						\
			longjmp((test)->bail, 1);			\
	}								\
} while (0)

#define KUNIT_EXPECT_EQ(t, a, b)	__KH_CMP(t, 0, a, ==, b)
#define KUNIT_EXPECT_NE(t, a, b)	__KH_CMP(t, 0, a, !=, b)
#define KUNIT_EXPECT_LT(t, a, b)	__KH_CMP(t, 0, a, <, b)
#define KUNIT_EXPECT_LE(t, a, b)	__KH_CMP(t, 0, a, <=, b)
#define KUNIT_EXPECT_GT(t, a, b)	__KH_CMP(t, 0, a, >, b)
#define KUNIT_EXPECT_GE(t, a, b)	__KH_CMP(t, 0, a, >=, b)
#define KUNIT_EXPECT_LE_MSG(t, a, b, ...)	__KH_CMP(t, 0, a, <=, b, __VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, a, b, ...)	__KH_CMP(t, 0, a, >=, b, __VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, a, b, ...)	__KH_CMP(t, 0, a, >, b, __VA_ARGS__)
#define KUNIT_ASSERT_EQ(t, a, b)	__KH_CMP(t, 1, a, ==, b)
#define KUNIT_ASSERT_NE(t, a, b)	__KH_CMP(t, 1, a, !=, b)
#define KUNIT_ASSERT_LT(t, a, b)	__KH_CMP(t, 1, a, <, b)
#define KUNIT_ASSERT_GE(t, a, b)	__KH_CMP(t, 1, a, >=, b)
#define KUNIT_ASSERT_EQ_MSG(t, a, b, ...)	__KH_CMP(t, 1, a, ==, b, __VA_ARGS__)
#define KUNIT_EXPECT_TRUE(t, c)		__KH_CMP(t, 0, !!(c), ==, 1)
#define KUNIT_EXPECT_FALSE(t, c)	__KH_CMP(t, 0, !!(c), ==, 0)
#define KUNIT_ASSERT_TRUE(t, c)		__KH_CMP(t, 1, !!(c), ==, 1)
#define KUNIT_ASSERT_NOT_NULL(t, p)	do { if (!(p)) __KH_FAIL(t, 1, "%s is NULL", #p); } while (0)
#define KUNIT_EXPECT_MEMEQ(t, a, b, n)	do { if (memcmp(a, b, n)) __KH_FAIL(t, 0, "memory of %s differs from %s", #a, #b); } while (0)

#endif
