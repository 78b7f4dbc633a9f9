package x

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
)

// Fields asked of every tweets request.
const (
	tweetFields = "created_at,public_metrics,author_id,lang,note_tweet,conversation_id,referenced_tweets,entities,in_reply_to_user_id"
	userFields  = "username,name,public_metrics"
)

// fetchRun is the state of one Fetch: posts so far, deduplicated by id.
type fetchRun struct {
	s     *Source
	now   time.Time
	posts []listener.Post
	index map[string]int // NativeID -> position in posts
}

// add appends p unless already there; an owned copy replaces a plain one.
func (r *fetchRun) add(p listener.Post) {
	if brand, ok := r.s.owned[strings.ToLower(p.Author)]; ok && !p.Owned {
		p.Owned, p.OwnedBrand = true, brand
	}
	if i, ok := r.index[p.NativeID]; ok {
		if p.Owned && !r.posts[i].Owned {
			r.posts[i] = p
		}
		return
	}
	r.index[p.NativeID] = len(r.posts)
	r.posts = append(r.posts, p)
}

// search reads one query's chain. ok is true when at least one page was read.
func (r *fetchRun) search(ctx context.Context, q string, st *chain) (bool, error) {
	if !strings.Contains(strings.ToLower(q), "is:retweet") {
		q = "(" + q + ") -is:retweet"
	}
	v := url.Values{"query": {q}}
	return r.chain(ctx, "/2/tweets/search/recent", "next_token", 10, true, v, st, "")
}

// account reads a brand's own timeline, looking the username up once.
func (r *fetchRun) account(ctx context.Context, username string, st *chain) (bool, error) {
	if !validID(st.UserID) {
		id, err := r.lookup(ctx, username)
		if err != nil {
			return false, err
		}
		st.UserID = id
	}
	v := url.Values{"exclude": {"retweets"}}
	return r.chain(ctx, "/2/users/"+st.UserID+"/tweets", "pagination_token", 5, false, v, st, r.s.owned[username])
}

// lookup resolves a username to its user id (one billed read).
func (r *fetchRun) lookup(ctx context.Context, username string) (string, error) {
	if err := r.take(1); err != nil {
		return "", err
	}
	u := r.s.cfg.BaseURL + "/2/users/by/username/" + url.PathEscape(username) + "?user.fields=public_metrics"
	body, err := r.get(ctx, u)
	if err != nil {
		return "", err
	}
	var up userPage
	if err := json.Unmarshal(body, &up); err != nil {
		return "", fmt.Errorf("decode %s: %w", u, err)
	}
	if up.Data == nil || !validID(up.Data.ID) {
		if len(up.Errors) > 0 {
			return "", fmt.Errorf("look up @%s: %s", username, up.Errors[0])
		}
		return "", fmt.Errorf("look up @%s: no user in %s", username, u)
	}
	return up.Data.ID, nil
}

// chain pages through one endpoint from st and moves st forward (see the
// chain type). A gap left by an earlier Fetch is closed first; a second
// pass then reads what is newer.
func (r *fetchRun) chain(ctx context.Context, path, tokenParam string, minResults int, search bool, base url.Values, st *chain, brand string) (bool, error) {
	read, spent := false, 0
	for pass := 0; pass < 2; pass++ {
		gap := st.Until != ""
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		r.bounds(v, st, search)
		res, err := r.pages(ctx, path, tokenParam, minResults, v, st, brand, &spent)
		read = read || res.pages > 0
		switch {
		case res.complete && gap:
			if st.Newest != "" {
				st.Since, st.SinceTime = st.Newest, st.NewestTime
			}
			st.Until, st.Newest, st.NewestTime = "", "", 0
		case res.complete:
			if idNum(res.newest) > idNum(st.Since) {
				st.Since, st.SinceTime = res.newest, res.newestTime
			}
			return read, err
		default:
			if res.oldest != "" {
				if !gap {
					st.Newest, st.NewestTime = res.newest, res.newestTime
				}
				st.Until = res.oldest
			}
			return read, err
		}
		if err != nil {
			return read, err
		}
	}
	return read, nil
}

// bounds sets since_id/start_time and until_id for st. Recent search
// reaches back seven days only: an older position is clamped to that.
func (r *fetchRun) bounds(v url.Values, st *chain, search bool) {
	floor := int64(0)
	if search {
		floor = r.now.Add(-searchWindow).Unix()
	}
	switch {
	case st.Since != "" && st.SinceTime >= floor:
		v.Set("since_id", st.Since)
	default:
		v.Set("start_time", time.Unix(max(st.SinceTime, floor), 0).UTC().Format(time.RFC3339))
	}
	if st.Until != "" {
		v.Set("until_id", st.Until)
	}
}

// pageResult says what a run of pages read: the newest and oldest ids seen
// (retweets included, so the position moves past them) and whether the
// chain reached its end.
type pageResult struct {
	pages          int
	newest, oldest string
	newestTime     int64
	complete       bool
}

func (r *fetchRun) pages(ctx context.Context, path, tokenParam string, minResults int, v url.Values, st *chain, brand string, spent *int) (pageResult, error) {
	var res pageResult
	tokens := map[string]bool{}
	since, until := idNum(st.Since), idNum(st.Until)
	v.Set("tweet.fields", tweetFields)
	v.Set("expansions", "author_id")
	v.Set("user.fields", userFields)
	for {
		if *spent >= r.s.cfg.MaxPages {
			return res, nil
		}
		n, err := r.reserve(minResults)
		if err != nil {
			return res, err
		}
		v.Set("max_results", strconv.Itoa(n))
		u := r.s.cfg.BaseURL + path + "?" + v.Encode()
		body, err := r.get(ctx, u)
		if err != nil {
			return res, err
		}
		pg, err := decodePage(body)
		if err != nil {
			return res, fmt.Errorf("decode %s: %w", u, err)
		}
		*spent++
		res.pages++
		r.bill(len(pg.Data))
		if len(pg.Errors) > 0 {
			r.s.cfg.Logger.Warn().Str("source", r.s.cfg.Name).Str("url", u).Int("errors", len(pg.Errors)).
				Str("first", pg.Errors[0].String()).Msg("x: partial errors in response")
		}
		authors := make(map[string]*user, len(pg.Includes.Users))
		for i := range pg.Includes.Users {
			authors[pg.Includes.Users[i].ID] = &pg.Includes.Users[i]
		}
		for i := range pg.Data {
			t := &pg.Data[i]
			id := idNum(t.ID)
			if !validID(t.ID) || id <= since || (until != 0 && id >= until) {
				continue
			}
			p := t.toPost(authors, r.now)
			if id > idNum(res.newest) {
				res.newest, res.newestTime = t.ID, p.Published.Unix()
			}
			if res.oldest == "" || id < idNum(res.oldest) {
				res.oldest = t.ID
			}
			if t.isRetweet() || (since == 0 && p.Published.Unix() < st.SinceTime) {
				continue
			}
			if brand != "" {
				p.Owned, p.OwnedBrand = true, brand
			}
			r.add(p)
		}
		tok := pg.Meta.NextToken
		if tok == "" || len(pg.Data) == 0 || tokens[tok] || len(tok) > 1024 {
			res.complete = true
			return res, nil
		}
		tokens[tok] = true
		v.Set(tokenParam, tok)
	}
}

// reserve is max_results for the next request: min(PageSize, what is
// left of the budget), never below the endpoint's minimum. A budget with
// less than that minimum left is a *listener.BudgetError and no request,
// so a page can never bill more than is left. Nothing is taken yet: X bills
// the posts it returns, which bill takes once the page is read.
func (r *fetchRun) reserve(minResults int) (int, error) {
	n := r.s.cfg.PageSize
	if r.s.budget != nil {
		u := r.s.budget.Usage()
		if u.Limit-u.Used < minResults {
			return 0, &listener.BudgetError{Used: u.Used, Limit: u.Limit, Resets: u.Resets}
		}
		n = max(min(n, u.Limit-u.Used), minResults)
	}
	return n, nil
}

// bill takes the n posts a page returned from the budget; when fewer are
// left (the endpoint's minimum page was more than the budget's rest) it
// takes the rest, so the budget reads as spent and the next reserve stops.
func (r *fetchRun) bill(n int) {
	if r.s.budget == nil || n <= 0 {
		return
	}
	if r.s.budget.Take(n) == nil {
		return
	}
	if u := r.s.budget.Usage(); u.Limit > u.Used {
		_ = r.s.budget.Take(u.Limit - u.Used)
	}
}

func (r *fetchRun) take(n int) error {
	if r.s.budget == nil {
		return nil
	}
	return r.s.budget.Take(n)
}

func (r *fetchRun) get(ctx context.Context, u string) ([]byte, error) {
	h := http.Header{"Accept": {"application/json"}, "Authorization": {"Bearer " + r.s.cfg.BearerToken}}
	resp, err := r.s.f.Get(ctx, u, h)
	if err != nil {
		return nil, classify(err)
	}
	return resp.Body, nil
}
