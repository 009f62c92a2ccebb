import { useMutation } from "@vue/apollo-composable";
import { onBeforeUnmount, ref } from "vue";
import { apolloClient } from "../../../apollo.ts";
import type { BtydModel, SnapshotProgressQuery as SnapshotProgress } from "../../../gql/graphql.ts";
import { CreateSnapshotMutation, SnapshotProgressQuery } from "../dashboard.graphql.ts";

type Progress = SnapshotProgress["snapshot"];

/** Starts a snapshot and polls its progress every second until it ends. */
export function useSnapshotRunner(onDone: () => void) {
  const { mutate, error: startError } = useMutation(CreateSnapshotMutation);
  const progress = ref<Progress | null>(null);
  const pollError = ref<unknown>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function poll(id: string): Promise<void> {
    try {
      const { data } = await apolloClient.query({ query: SnapshotProgressQuery, variables: { id }, fetchPolicy: "network-only" });
      progress.value = data.snapshot;
      // Ended: succeeded, failed, or cancelled by an admin (cancelSnapshot).
      if (data.snapshot.status !== "PENDING" && data.snapshot.status !== "RUNNING") {
        if (data.snapshot.status === "SUCCEEDED") onDone();
        return;
      }
      timer = setTimeout(() => void poll(id), 1000);
    } catch (e) {
      pollError.value = e;
    }
  }

  /** Starts a snapshot; `model` chooses the model that drives the predictions (default BG/NBD). */
  async function start(model?: BtydModel): Promise<void> {
    pollError.value = null;
    const result = await mutate({ input: model ? { model } : null }).catch(() => null);
    const snapshot = result?.data?.createSnapshot;
    if (!snapshot) return;
    progress.value = { ...snapshot, error: null };
    await poll(snapshot.id);
  }

  onBeforeUnmount(() => clearTimeout(timer));
  const isRunning = () => progress.value?.status === "PENDING" || progress.value?.status === "RUNNING";
  return { start, progress, startError, pollError, isRunning };
}
