//! Work spread over the machine's cores, results in input order.
//!
//! Reading and parsing thousands of small case files is the cost of every report and
//! check; the files are independent, so each core takes a contiguous share of them.

use std::num::NonZeroUsize;

/// `f` applied to every item, on as many threads as there are cores (or as
/// `SLUSS_THREADS` says, at most 16), with the results in the order of `items`. Fewer
/// than 64 items are not worth a thread.
pub fn map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    spread(items, 64, f)
}

/// As [`map`], but spreads even two items over the cores: for items that are each a
/// large piece of work.
pub fn map_each<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    spread(items, 2, f)
}

/// Every item folded into an accumulator made by `init`, one accumulator per thread,
/// each over a contiguous share of `items`: the accumulators come back in the order of
/// the items they folded, so merging them in turn sees the items in order.
pub fn fold<T, A, I, F>(items: &[T], init: I, f: F) -> Vec<A>
where
    T: Sync,
    A: Send,
    I: Fn() -> A + Sync,
    F: Fn(&mut A, &T) + Sync,
{
    let threads = threads();
    if threads <= 1 || items.len() < 64 {
        let mut acc = init();
        items.iter().for_each(|item| f(&mut acc, item));
        return vec![acc];
    }
    let chunk = items.len().div_ceil(threads);
    fold_parts(items.chunks(chunk).collect(), &init, &|acc, part: &[T]| {
        part.iter().for_each(|item| f(acc, item))
    })
}

/// Each of `parts` folded by `f` into an accumulator of its own, each in a thread of its
/// own; the accumulators come back in the order of the parts.
fn fold_parts<P, A, I, F>(parts: Vec<P>, init: &I, f: &F) -> Vec<A>
where
    P: Send,
    A: Send,
    I: Fn() -> A + Sync,
    F: Fn(&mut A, P) + Sync,
{
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    let mut acc = init();
                    f(&mut acc, part);
                    acc
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a worker thread panicked"))
            .collect()
    })
}

/// How many threads to spread work over: `SLUSS_THREADS` when it is a whole number of at
/// least 1 (so that a test, or a person measuring, can fix it), otherwise the machine's
/// cores; at most 16 either way.
fn threads() -> usize {
    let set = std::env::var("SLUSS_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n >= 1);
    set.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get))
        .min(16)
}

fn spread<T, R, F>(items: &[T], at_least: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = threads();
    if threads <= 1 || items.len() < at_least {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker thread panicked"))
            .collect()
    })
}

/// As [`fold`], over items that `f` may change as it folds them.
pub fn fold_mut<T, A, I, F>(items: &mut [T], init: I, f: F) -> Vec<A>
where
    T: Send,
    A: Send,
    I: Fn() -> A + Sync,
    F: Fn(&mut A, &mut T) + Sync,
{
    let threads = threads();
    if threads <= 1 || items.len() < 64 {
        let mut acc = init();
        items.iter_mut().for_each(|item| f(&mut acc, item));
        return vec![acc];
    }
    let chunk = items.len().div_ceil(threads);
    fold_parts(
        items.chunks_mut(chunk).collect(),
        &init,
        &|acc, part: &mut [T]| part.iter_mut().for_each(|item| f(acc, item)),
    )
}

/// `f` applied to every item in place, each core taking a contiguous share of them.
/// Fewer than 64 items are not worth a thread.
pub fn for_each_mut<T, F>(items: &mut [T], f: F)
where
    T: Send,
    F: Fn(&mut T) + Sync,
{
    fold_mut(items, || (), |_, item| f(item));
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order() {
        let items: Vec<u32> = (0..10_000).collect();
        let out = super::map(&items, |x| x * 2);
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(super::map_each(&[1, 2, 3], |x| x + 1), vec![2, 3, 4]);
        let sums = super::fold(&items, Vec::new, |seen: &mut Vec<u32>, x| seen.push(*x));
        assert_eq!(sums.concat(), items);
    }
}
