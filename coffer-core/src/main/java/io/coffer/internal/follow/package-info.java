/**
 * The follower ({@link io.coffer.internal.follow.Follower}): the "coffer-follower" thread that turns closed
 * logs into checkpoints and deletes what they cover. It reads only closed files and writes only new ones.
 */
package io.coffer.internal.follow;
