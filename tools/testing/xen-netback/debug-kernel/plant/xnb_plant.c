// SPDX-License-Identifier: GPL-2.0
/*
 * Planted reports for the debug end-to-end run: each load makes the kernel
 * checker named by "what" report a real defect, so that the rig can show
 * its dmesg scan catches that kind of report.  Never load it elsewhere.
 *
 *   insmod xnb-plant.ko what=lockdep|slub|kfence|ubsan|atomic-sleep|kcsan
 *
 * The module refuses to stay loaded (-EAGAIN after the defect): nothing is
 * left behind but the report.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kfence.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *what = "";
module_param(what, charp, 0444);
MODULE_PARM_DESC(what, "lockdep, slub, kfence, ubsan, atomic-sleep or kcsan");

static DEFINE_SPINLOCK(plant_a);
static DEFINE_SPINLOCK(plant_b);

/* A then B, later B then A: lockdep's circular dependency report. */
static void plant_lockdep(void)
{
	spin_lock(&plant_a);
	spin_lock(&plant_b);
	spin_unlock(&plant_b);
	spin_unlock(&plant_a);

	spin_lock(&plant_b);
	spin_lock(&plant_a);
	spin_unlock(&plant_a);
	spin_unlock(&plant_b);
}

/*
 * One byte past an 8-byte object, freed: SLUB's red-zone report
 * (slub_debug=FZPU on dom0's command line).
 */
static void plant_slub(void)
{
	char *p = kmalloc(8, GFP_KERNEL);
	size_t i = 8;

	if (!p)
		return;
	OPTIMIZER_HIDE_VAR(i);
	p[i] = 0x55;
	kfree(p);
}

/*
 * A read past an object that KFENCE placed at the end of its page: its
 * guard-page report.  KFENCE samples one allocation per interval, so
 * allocate until one lands there (kfence.sample_interval is short here).
 */
static void plant_kfence(void)
{
	unsigned long end = jiffies + 10 * HZ;
	size_t i = 32;

	OPTIMIZER_HIDE_VAR(i);
	while (time_before(jiffies, end)) {
		char *p = kmalloc(32, GFP_KERNEL);

		if (p && is_kfence_address(p) &&
		    PAGE_ALIGNED((unsigned long)p + 32)) {
			pr_info("xnb-plant: read %d\n", READ_ONCE(p[i]));
			kfree(p);
			return;
		}
		kfree(p);
		msleep(1);
	}
	pr_info("xnb-plant: no KFENCE object in 10 s\n");
}

/* A shift by more than the width: UBSAN's shift-out-of-bounds report. */
static void plant_ubsan(void)
{
	unsigned int s = 40;
	u32 one = 1;

	OPTIMIZER_HIDE_VAR(s);
	pr_info("xnb-plant: shifted %u\n", one << s);
}

/* might_sleep() under a spinlock: DEBUG_ATOMIC_SLEEP's report. */
static void plant_atomic_sleep(void)
{
	spin_lock(&plant_a);
	might_sleep();
	spin_unlock(&plant_a);
}

/*
 * Plain increments of one int from this thread and a kthread at once, for
 * up to 3 s: KCSAN's data-race report (only on its kernel, DEBUG_KCSAN=1;
 * dom0 has two vCPUs).
 */
static int plant_racy;

static int plant_race_fn(void *arg)
{
	while (!kthread_should_stop()) {
		plant_racy++;
		cpu_relax();
	}
	return 0;
}

static void plant_kcsan(void)
{
	unsigned long end = jiffies + 3 * HZ;
	struct task_struct *t;

	t = kthread_run(plant_race_fn, NULL, "xnb-plant-race");
	if (IS_ERR(t))
		return;
	while (time_before(jiffies, end)) {
		plant_racy++;
		cpu_relax();
	}
	kthread_stop(t);
	pr_info("xnb-plant: racy %d\n", plant_racy);
}

static int __init xnb_plant_init(void)
{
	if (!strcmp(what, "lockdep"))
		plant_lockdep();
	else if (!strcmp(what, "slub"))
		plant_slub();
	else if (!strcmp(what, "kfence"))
		plant_kfence();
	else if (!strcmp(what, "ubsan"))
		plant_ubsan();
	else if (!strcmp(what, "atomic-sleep"))
		plant_atomic_sleep();
	else if (!strcmp(what, "kcsan"))
		plant_kcsan();
	else
		return -EINVAL;
	return -EAGAIN;
}
module_init(xnb_plant_init);

MODULE_DESCRIPTION("Planted checker reports for the xen-netback debug e2e run");
MODULE_LICENSE("GPL");
